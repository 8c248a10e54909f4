/** `dns_sd_configs`: targets from DNS SRV, A, AAAA, MX and NS records, polled periodically. */
import { Resolver } from 'node:dns/promises';
import { Labels, LabelsBuilder } from '../model/labels.js';
import type { Logger } from '../util/logger.js';
import { noopLogger } from '../util/logger.js';
import { ADDRESS_LABEL } from './discoverer.js';
import type { Discoverer, EmitGroups, TargetGroup } from './discoverer.js';
import { DiscoveryError } from './errors.js';
import { runRefreshLoop } from './refresh-loop.js';

/** The record name that produced the target. */
export const META_DNS_NAME = '__meta_dns_name';
/** The target field of the SRV record. */
export const META_DNS_SRV_RECORD_TARGET = '__meta_dns_srv_record_target';
/** The port field of the SRV record. */
export const META_DNS_SRV_RECORD_PORT = '__meta_dns_srv_record_port';
/** The target field of the MX record. */
export const META_DNS_MX_RECORD_TARGET = '__meta_dns_mx_record_target';
/** The target field of the NS record. */
export const META_DNS_NS_RECORD_TARGET = '__meta_dns_ns_record_target';

/** The record types DNS SD queries. */
export type DnsRecordType = 'SRV' | 'A' | 'AAAA' | 'MX' | 'NS';

/** Options of {@link DnsDiscoverer}: one `<dns_sd_config>`. */
export interface DnsOptions {
  /** Names to query; each becomes one target group with the name as its source. */
  names: string[];
  /** Record type (default SRV). */
  type: DnsRecordType;
  /** Port of the targets for all types but SRV (required for them). */
  port: number;
  /** Poll period in milliseconds (default 30s). */
  refreshIntervalMs: number;
  /**
   * DNS servers (`ip` or `ip:port`, `[ipv6]:port`); empty means the system's (`/etc/resolv.conf`).
   * Vigil's addition: Prometheus always uses the system resolver.
   */
  servers: string[];
  /** Per-query timeout in milliseconds. */
  timeoutMs: number;
}

/** Prometheus' defaults: SRV, refresh every 30 seconds, the system's DNS servers. */
export function defaultDnsOptions(): DnsOptions {
  return { names: [], type: 'SRV', port: 0, refreshIntervalMs: 30_000, servers: [], timeoutMs: 5_000 };
}

/** Dependencies of {@link DnsDiscoverer}. */
export interface DnsDeps {
  logger: Logger;
}

/**
 * Resolves each name every refresh interval. A name that fails to resolve is logged and keeps its
 * last targets; a name that resolves to nothing (NXDOMAIN, no records) yields an empty group.
 */
export class DnsDiscoverer implements Discoverer {
  readonly #opts: DnsOptions;
  readonly #logger: Logger;
  readonly #resolver: Resolver;
  /** name → last good group. */
  readonly #last = new Map<string, TargetGroup>();

  constructor(options: Partial<DnsOptions>, deps: Partial<DnsDeps> = {}) {
    this.#opts = { ...defaultDnsOptions(), ...options };
    this.#logger = deps.logger ?? noopLogger;
    if (this.#opts.type !== 'SRV' && !(this.#opts.port > 0 && this.#opts.port < 65536)) {
      throw new DiscoveryError('ERR_SD_DNS', `a port is required for DNS SD of type ${this.#opts.type}`);
    }
    this.#resolver = new Resolver({ timeout: this.#opts.timeoutMs, tries: 2 });
    if (this.#opts.servers.length > 0) this.#resolver.setServers(this.#opts.servers);
  }

  run(signal: AbortSignal, emit: EmitGroups): Promise<void> {
    const onAbort = (): void => this.#resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    return runRefreshLoop(signal, emit, this.#opts.refreshIntervalMs, () => this.#refresh(signal)).finally(
      () => signal.removeEventListener('abort', onAbort),
    );
  }

  async #refresh(signal: AbortSignal): Promise<TargetGroup[]> {
    const results = await Promise.all(
      this.#opts.names.map(async (name) => {
        try {
          const group: TargetGroup = { source: name, targets: await this.lookup(name), labels: Labels.EMPTY };
          this.#last.set(name, group);
        } catch (err) {
          if (!signal.aborted) {
            this.#logger.error('Error refreshing DNS targets, keeping the last ones', {
              name,
              type: this.#opts.type,
              err: err as Error,
            });
          }
        }
        return this.#last.get(name);
      }),
    );
    return results.filter((g): g is TargetGroup => g !== undefined);
  }

  /** Resolves one name to its targets. Throws on failures other than "no such name/records". */
  async lookup(name: string): Promise<Labels[]> {
    const { type, port } = this.#opts;
    try {
      switch (type) {
        case 'SRV':
          return (await this.#resolver.resolveSrv(name)).map((r) =>
            target(name, joinHostPort(r.name, r.port), {
              [META_DNS_SRV_RECORD_TARGET]: fqdn(r.name),
              [META_DNS_SRV_RECORD_PORT]: String(r.port),
            }),
          );
        case 'A':
          return (await this.#resolver.resolve4(name)).map((ip) => target(name, joinHostPort(ip, port)));
        case 'AAAA':
          return (await this.#resolver.resolve6(name)).map((ip) => target(name, joinHostPort(ip, port)));
        case 'MX':
          return (await this.#resolver.resolveMx(name)).map((r) =>
            target(name, joinHostPort(r.exchange, port), { [META_DNS_MX_RECORD_TARGET]: fqdn(r.exchange) }),
          );
        case 'NS':
          return (await this.#resolver.resolveNs(name)).map((host) =>
            target(name, joinHostPort(host, port), { [META_DNS_NS_RECORD_TARGET]: fqdn(host) }),
          );
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // An absent name or type is an answer, not a failure: the group becomes empty.
      if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
      throw new DiscoveryError('ERR_SD_DNS', `lookup ${type} ${name}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}

function target(name: string, address: string, extra: Record<string, string> = {}): Labels {
  const b = new LabelsBuilder().set(ADDRESS_LABEL, address).set(META_DNS_NAME, name);
  for (const k of Object.keys(extra)) b.set(k, extra[k]);
  return b.labels();
}

/** `host:port`, with IPv6 literals in brackets. */
function joinHostPort(host: string, port: number): string {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
}

/** Record targets with the trailing dot, as Prometheus reports them (Node's resolver drops it). */
function fqdn(host: string): string {
  return host.endsWith('.') ? host : host + '.';
}
