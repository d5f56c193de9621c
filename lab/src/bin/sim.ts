#!/usr/bin/env node
/** Entry point of `npm run sim`. */
import { simMain } from '../cli/sim-command.js';

process.exit(await simMain(process.argv.slice(2)));
