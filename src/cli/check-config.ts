/** `vigil check config FILE…`: validates Prometheus configuration files, as `promtool check config`. */
import type { Command, CommandIO } from './command.js';
import { ConfigError, loadConfigFile } from '../config/index.js';

export const checkConfigCommand: Command = {
  path: ['check', 'config'],
  summary: 'Check if the config files are valid or not.',
  description:
    'Loads each file as the server would and reports the first error with its file:line:col. ' +
    'Rule files named by rule_files are listed but not yet checked.',
  flags: [],
  args: [{ name: 'config-files', help: 'The config files to check.', variadic: true }],
  async run({ args, io }) {
    let failed = false;
    for (let i = 0; i < args.length; i++) {
      if (i > 0) io.stdout.write('\n');
      if (!(await checkOne(args[i], io))) failed = true;
    }
    return failed ? 1 : 0;
  },
};

/** Checks one file and prints its outcome; true when it is valid. */
async function checkOne(file: string, io: CommandIO): Promise<boolean> {
  io.stdout.write(`Checking ${file}\n`);
  try {
    // Prometheus expands the environment in external labels, so the check does too.
    const cfg = await loadConfigFile(file, { env: process.env });
    if (cfg.ruleFiles.length > 0) {
      io.stdout.write(` SUCCESS: ${cfg.ruleFiles.length} rule files found\n`);
      for (const r of cfg.ruleFiles)
        io.stdout.write(`  NOTE: rule file ${r} not checked: rule checking is not built yet\n`);
    }
    io.stdout.write(` SUCCESS: ${file} is valid prometheus config file syntax\n`);
    return true;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr.write(` FAILED: ${e.message}\n`);
    return false;
  }
}
