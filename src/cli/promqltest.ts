/** `vigil promqltest FILE…`: runs promqltest scripts against the engine. */
import { readFileSync } from 'node:fs';
import type { Command } from './command.js';
import { runScript } from '../promql/promqltest/index.js';

export const promqltestCommand: Command = {
  path: ['promqltest'],
  summary: 'Run promqltest scripts against the PromQL engine (exit 1 if any eval fails).',
  flags: [],
  args: [{ name: 'file', help: 'A promqltest script.', variadic: true }],
  run({ args, io }) {
    let passed = 0;
    let failed = 0;
    for (const file of args) {
      const results = runScript(readFileSync(file, 'utf8'));
      let p = 0;
      let f = 0;
      for (const r of results) {
        if (r.passed) p++;
        else {
          f++;
          io.stdout.write(`${file}:${r.line}: ${r.text}\n  ${(r.message ?? '').replace(/\n/g, '\n  ')}\n`);
        }
      }
      io.stdout.write(`${file}: ${p} passed, ${f} failed\n`);
      passed += p;
      failed += f;
    }
    io.stdout.write(`${passed} passed, ${failed} failed\n`);
    return Promise.resolve(failed > 0 ? 1 : 0);
  },
};
