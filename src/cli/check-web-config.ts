/** `vigil check web-config FILE…`: validates web configuration files, as `promtool check web-config`. */
import { ConfigError } from '../config/error.js';
import { loadWebConfigFile } from '../web/web-config.js';
import type { Command } from './command.js';

export const checkWebConfigCommand: Command = {
  path: ['check', 'web-config'],
  summary: 'Check if the web config files are valid or not.',
  description:
    'Loads each file as `vigil server --web.config.file` would, reading the certificate, key and CA ' +
    'files it names, and reports the first error with its file:line:col. Output goes to stderr, as promtool.',
  flags: [],
  args: [{ name: 'web-config-files', help: 'The config files to check.', variadic: true }],
  run({ args, io }) {
    let failed = false;
    for (const file of args) {
      try {
        loadWebConfigFile(file);
        io.stderr.write(`${file} SUCCESS\n`);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        io.stderr.write(`${file} FAILED: ${e.message}\n`);
        failed = true;
      }
    }
    return Promise.resolve(failed ? 1 : 0);
  },
};
