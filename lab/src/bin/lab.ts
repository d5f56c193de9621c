#!/usr/bin/env node
/** Entry point of `npm run lab`. */
import { labMain } from '../cli/lab-command.js';

process.exit(await labMain(process.argv.slice(2)));
