#!/usr/bin/env node
/** Entry point of `npm run soak`. */
import { soakMain } from '../cli/soak-command.js';

process.exit(await soakMain(process.argv.slice(2)));
