/**
 * Consul's HTTP API wire types and their decoders: the JSON of `GET /v1/catalog/services` and
 * `GET /v1/health/service/<name>` checked field by field into typed objects.
 */
import { DiscoveryError } from './errors.js';

/** A node as the health endpoint reports it (the fields discovery uses). */
export interface ConsulNode {
  readonly id: string;
  readonly node: string;
  readonly address: string;
  readonly datacenter: string;
  readonly taggedAddresses: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string>>;
}

/** A service instance registered on a node. */
export interface ConsulService {
  readonly id: string;
  readonly service: string;
  readonly tags: readonly string[];
  readonly address: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly port: number;
  readonly namespace: string;
  readonly partition: string;
}

/** One health check of a node or service instance. */
export interface ConsulCheck {
  readonly checkId: string;
  readonly status: string;
}

/** One entry of `/v1/health/service/<name>`: an instance with its node and checks. */
export interface ConsulServiceEntry {
  readonly node: ConsulNode;
  readonly service: ConsulService;
  readonly checks: readonly ConsulCheck[];
}

function invalid(what: string): DiscoveryError {
  return new DiscoveryError('ERR_SD_CONSUL_RESPONSE', `invalid Consul response: ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid(`${where}.${key} is not a string`);
  return v;
}

function strMap(o: Record<string, unknown>, key: string, where: string): Record<string, string> {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw invalid(`${where}.${key} is not an object`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw invalid(`${where}.${key}.${k} is not a string`);
    out[k] = x;
  }
  return out;
}

function strList(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(`${where} is not a list`);
  return v.map((x, i) => {
    if (typeof x !== 'string') throw invalid(`${where}[${i}] is not a string`);
    return x;
  });
}

/** Decodes `/v1/catalog/services`: service name → tags. Throws a `DiscoveryError` on bad input. */
export function decodeCatalogServices(doc: unknown): Map<string, string[]> {
  if (!isObject(doc)) throw invalid('catalog services is not an object');
  const out = new Map<string, string[]>();
  for (const [name, tags] of Object.entries(doc)) out.set(name, strList(tags, `services.${name}`));
  return out;
}

/**
 * Decodes `/v1/health/service/<name>`. Only the node's tagged addresses (strings) are read; the
 * service's (`{Address, Port}` objects) are not used by discovery. Throws a `DiscoveryError`.
 */
export function decodeServiceEntries(doc: unknown): ConsulServiceEntry[] {
  if (!Array.isArray(doc)) throw invalid('health service is not a list');
  return doc.map((e: unknown, i) => {
    const where = `[${i}]`;
    if (!isObject(e)) throw invalid(`${where} is not an object`);
    const n = e['Node'];
    const s = e['Service'];
    if (!isObject(n)) throw invalid(`${where}.Node is not an object`);
    if (!isObject(s)) throw invalid(`${where}.Service is not an object`);
    const port = s['Port'];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw invalid(`${where}.Service.Port is not a port number`);
    }
    const checks = e['Checks'] ?? [];
    if (!Array.isArray(checks)) throw invalid(`${where}.Checks is not a list`);
    return {
      node: {
        id: str(n, 'ID', `${where}.Node`),
        node: str(n, 'Node', `${where}.Node`),
        address: str(n, 'Address', `${where}.Node`),
        datacenter: str(n, 'Datacenter', `${where}.Node`),
        taggedAddresses: strMap(n, 'TaggedAddresses', `${where}.Node`),
        meta: strMap(n, 'Meta', `${where}.Node`),
      },
      service: {
        id: str(s, 'ID', `${where}.Service`),
        service: str(s, 'Service', `${where}.Service`),
        tags: strList(s['Tags'], `${where}.Service.Tags`),
        address: str(s, 'Address', `${where}.Service`),
        meta: strMap(s, 'Meta', `${where}.Service`),
        port,
        namespace: str(s, 'Namespace', `${where}.Service`),
        partition: str(s, 'Partition', `${where}.Service`),
      },
      checks: checks.map((c: unknown, j) => {
        if (!isObject(c)) throw invalid(`${where}.Checks[${j}] is not an object`);
        return {
          checkId: str(c, 'CheckID', `${where}.Checks[${j}]`),
          status: str(c, 'Status', `${where}.Checks[${j}]`),
        };
      }),
    };
  });
}

/**
 * Consul's aggregated status of checks (api.HealthChecks.AggregatedStatus): maintenance wins over
 * critical, critical over warning, warning over passing; no checks means passing.
 */
export function aggregatedStatus(checks: readonly ConsulCheck[]): string {
  let maintenance = false;
  let critical = false;
  let warning = false;
  for (const c of checks) {
    if (c.checkId === '_node_maintenance' || c.checkId.startsWith('_service_maintenance:')) {
      maintenance = true;
      continue;
    }
    if (c.status === 'critical') critical = true;
    else if (c.status === 'warning') warning = true;
  }
  if (maintenance) return 'maintenance';
  if (critical) return 'critical';
  if (warning) return 'warning';
  return 'passing';
}
