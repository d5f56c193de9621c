#!/usr/bin/env node
/** Rewrites bench/REPORT.md from bench/results/*.json. */
import { reportMain } from '../cli/report-command.js';

process.exit(reportMain());
