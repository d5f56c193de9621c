#!/usr/bin/env node
/** Entry point of `npm run bench` (the root script builds first). */
import { benchMain } from '../cli/bench-command.js';

process.exit(await benchMain());
