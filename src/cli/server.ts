/** `vigil server`: scrape, store, query and serve. */
import type { Command } from './command.js';

export const serverCommand: Command = {
  path: ['server'],
  summary: 'Run the monitoring server (scrape, store, query, web UI).',
  flags: [],
  args: [],
  run({ io }) {
    io.stderr.write(
      'vigil server is not built yet: the storage, query engine and scrape loop land first ' +
        '(see the open issues). Try `vigil --help` for what works today.\n',
    );
    return Promise.resolve(1);
  },
};
