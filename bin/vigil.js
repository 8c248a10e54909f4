#!/usr/bin/env node
// The `vigil` command: everything lives in the compiled CLI; this file only starts it.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
