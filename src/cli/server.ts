/**
 * `vigil server`: scrape, store, query and serve, with Prometheus' flags. With no flags it runs the
 * embedded configuration (scraping itself), stores under `./data` and listens on :9090. SIGHUP
 * reloads the configuration; SIGTERM and SIGINT stop cleanly (exit 0).
 */
import { ConfigError } from '../config/error.js';
import { parseDuration } from '../model/time.js';
import { Server } from '../server/server.js';
import { WebConfigError } from '../web/web-config-source.js';
import type { FsyncPolicy } from '../tsdb/wlog/writer.js';
import type { LogLevel } from '../util/logger.js';
import { LogfmtLogger } from '../util/logger.js';
import type { Command, FlagSpec, ParsedFlags } from './command.js';
import { UsageError } from './command.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'config.file',
    help: 'Configuration file path. Without it, an embedded configuration that scrapes the server itself.',
    placeholder: 'file',
  },
  { name: 'storage.tsdb.path', help: 'Base path for metrics storage.', default: 'data/' },
  {
    name: 'storage.tsdb.retention.time',
    help: 'How long to retain samples in storage (0 keeps them for ever). Units: y, w, d, h, m, s, ms.',
    default: '15d',
  },
  {
    name: 'storage.tsdb.retention.size',
    help: 'Maximum number of bytes that can be stored for blocks (0: no limit). Units: B, KB, MB, GB, TB, PB, EB.',
    default: '0',
  },
  {
    name: 'storage.tsdb.wal-fsync',
    help: 'When to fsync the WAL: always (every commit), batch (at most once a second), never (on segment rotation, as Prometheus).',
    default: 'batch',
    choices: ['always', 'batch', 'never'],
  },
  {
    name: 'storage.tsdb.wal-compression',
    help: 'Compress the WAL with snappy.',
    kind: 'bool',
    default: false,
  },
  {
    name: 'web.listen-address',
    help: 'Address to listen on for UI, API, and telemetry.',
    default: '0.0.0.0:9090',
  },
  {
    name: 'web.external-url',
    help: 'The URL under which the server is externally reachable (e.g. behind a reverse proxy).',
    placeholder: 'URL',
  },
  { name: 'web.route-prefix', help: 'Prefix for the internal routes of web endpoints.', placeholder: 'path' },
  {
    name: 'web.enable-lifecycle',
    help: 'Enable shutdown and reload via HTTP request.',
    kind: 'bool',
    default: false,
  },
  {
    name: 'web.enable-admin-api',
    help: 'Enable API endpoints for admin control actions.',
    kind: 'bool',
    default: false,
  },
  {
    name: 'web.config.file',
    help: '[EXPERIMENTAL] Path to configuration file that can enable TLS or authentication.',
    default: '',
    placeholder: 'file',
  },
  { name: 'web.cors.origin', help: 'Regex for CORS origin. It is fully anchored.', default: '.*' },
  {
    name: 'web.read-timeout',
    help: 'Maximum duration before timing out read of the request.',
    default: '5m',
  },
  { name: 'web.max-connections', help: 'Maximum number of simultaneous connections.', default: '512' },
  {
    name: 'web.page-title',
    help: 'Document title of the web console.',
    default: 'Vigil Time Series Collection and Processing Server',
  },
  {
    name: 'query.lookback-delta',
    help: 'The maximum lookback duration for retrieving metrics during expression evaluations and federation.',
    default: '5m',
  },
  { name: 'query.timeout', help: 'Maximum time a query may take before being aborted.', default: '2m' },
  {
    name: 'query.max-samples',
    help: 'Maximum number of samples a single query can load into memory.',
    default: '50000000',
  },
  { name: 'query.max-concurrency', help: 'Maximum number of queries executed concurrently.', default: '20' },
  {
    name: 'log.level',
    help: 'Only log messages with the given severity or above.',
    default: 'info',
    choices: ['debug', 'info', 'warn', 'error'],
  },
  {
    name: 'log.format',
    help: 'Output format of log messages.',
    default: 'logfmt',
    choices: ['logfmt', 'json'],
  },
];

export const serverCommand: Command = {
  path: ['server'],
  summary: 'Run the monitoring server (scrape, store, query, web UI).',
  description:
    'Starts on an embedded configuration that scrapes the server itself when no --config.file is given. ' +
    'SIGHUP reloads the configuration; SIGTERM or SIGINT stop it cleanly.',
  flags: FLAGS,
  args: [],
  async run({ flags, io }) {
    const logger = new LogfmtLogger(io.stderr, {
      level: flags.string('log.level') as LogLevel,
      format: flags.string('log.format') === 'json' ? 'json' : 'logfmt',
    });
    const given = (name: string) => (flags.given(name) ? flags.string(name) : undefined);
    let server: Server;
    try {
      server = await Server.start({
        configFile: given('config.file'),
        webConfigFile: flags.string('web.config.file') || undefined,
        storagePath: flags.string('storage.tsdb.path'),
        retentionTime: durationFlag(flags, 'storage.tsdb.retention.time'),
        retentionSize: parseByteSize(
          flags.string('storage.tsdb.retention.size'),
          'storage.tsdb.retention.size',
        ),
        walFsync: flags.string('storage.tsdb.wal-fsync') as FsyncPolicy,
        walCompression: flags.bool('storage.tsdb.wal-compression'),
        queryMaxSamples: integerFlag(flags, 'query.max-samples'),
        queryMaxConcurrency: integerFlag(flags, 'query.max-concurrency'),
        web: {
          listenAddress: flags.string('web.listen-address'),
          externalUrl: given('web.external-url'),
          routePrefix: given('web.route-prefix'),
          enableLifecycle: flags.bool('web.enable-lifecycle'),
          enableAdminApi: flags.bool('web.enable-admin-api'),
          corsOrigin: flags.string('web.cors.origin'),
          readTimeout: durationFlag(flags, 'web.read-timeout'),
          maxConnections: integerFlag(flags, 'web.max-connections'),
          pageTitle: flags.string('web.page-title'),
          lookbackDelta: durationFlag(flags, 'query.lookback-delta'),
          queryTimeout: durationFlag(flags, 'query.timeout'),
          flags: flagValues(flags),
        },
        logger,
      });
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const what =
        err instanceof WebConfigError
          ? 'Unable to validate web configuration file'
          : err instanceof ConfigError
            ? 'Error loading config'
            : 'Error starting server';
      logger.error(what, { err: err instanceof Error ? err.message : String(err) });
      return 1;
    }
    const onHup = () => void server.reload();
    process.on('SIGHUP', onHup);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
      void server.quitRequested.then(() => resolve('/-/quit'));
    });
    logger.warn('Received shutdown request, exiting gracefully...', { signal });
    process.off('SIGHUP', onHup);
    await server.stop();
    return 0;
  },
};

function durationFlag(flags: ParsedFlags, name: string): number {
  const text = flags.string(name);
  if (text === '0') return 0;
  try {
    return parseDuration(text);
  } catch (err) {
    throw new UsageError(`--${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function integerFlag(flags: ParsedFlags, name: string): number {
  const text = flags.string(name);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`--${name}: not a non-negative integer: ${text}`);
  return n;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 2 ** 10,
  MB: 2 ** 20,
  GB: 2 ** 30,
  TB: 2 ** 40,
  PB: 2 ** 50,
  EB: 2 ** 60,
};

/** Parses Prometheus' byte sizes (`512MB`, `1GB`: powers of 1024; a bare number is bytes). */
export function parseByteSize(text: string, flag: string): number {
  const m = /^(\d+)([KMGTPE]?B)?$/i.exec(text.trim());
  if (m === null) throw new UsageError(`--${flag}: invalid size ${JSON.stringify(text)}; use e.g. 512MB`);
  return Number(m[1]) * (BYTE_UNITS[(m[2] ?? 'B').toUpperCase()] ?? 1);
}

/** Every flag with its value as text, for `/api/v1/status/flags`. */
function flagValues(flags: ParsedFlags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FLAGS) out[f.name] = f.kind === 'bool' ? String(flags.bool(f.name)) : flags.string(f.name);
  return out;
}
