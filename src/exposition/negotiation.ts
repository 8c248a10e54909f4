/**
 * Scrape protocol negotiation (content_negotiation.md): the `Accept` header a scraper sends, the
 * format a target answers with, and the parser a scraper picks from the response's `Content-Type`.
 */
import type { EscapingScheme } from './escaping.js';
import { DEFAULT_ESCAPING_SCHEME, parseEscapingScheme } from './escaping.js';

/** The scrape protocols, by the names `scrape_protocols` and `fallback_scrape_protocol` use. */
export const ScrapeProtocol = {
  PrometheusProto: 'PrometheusProto',
  PrometheusText0_0_4: 'PrometheusText0.0.4',
  PrometheusText1_0_0: 'PrometheusText1.0.0',
  OpenMetricsText0_0_1: 'OpenMetricsText0.0.1',
  OpenMetricsText1_0_0: 'OpenMetricsText1.0.0',
} as const;

/** One of the `ScrapeProtocol` names. */
export type ScrapeProtocol = (typeof ScrapeProtocol)[keyof typeof ScrapeProtocol];

/** The media type and parameters of each protocol, as they appear in `Accept`. */
export const SCRAPE_PROTOCOL_HEADERS: Readonly<Record<ScrapeProtocol, string>> = {
  PrometheusProto:
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0',
};

/** Prometheus' default `scrape_protocols`. */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
];

/** The default when native histograms are scraped: protobuf first. */
export const DEFAULT_PROTO_FIRST_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  'PrometheusProto',
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
];

/** The protocol named `s` (as in `prometheus.yml`), or `undefined` when there is none. */
export function parseScrapeProtocol(s: string): ScrapeProtocol | undefined {
  return Object.hasOwn(SCRAPE_PROTOCOL_HEADERS, s) ? (s as ScrapeProtocol) : undefined;
}

/**
 * The `Accept` header a scrape sends for `protocols` in order of preference, as Prometheus 3 builds
 * it: the first gets `q=0.6` (one more than the number of protocols Prometheus knows), each next
 * one a tenth less, then `*\/*` with the next weight; the 1.0.0 text formats carry `escaping=`.
 * (content_negotiation.md's examples start at `q=0.5`, from before the fifth protocol existed;
 * Prometheus itself sends `q=0.6`.)
 */
export function scrapeAcceptHeader(
  protocols: readonly ScrapeProtocol[] = DEFAULT_SCRAPE_PROTOCOLS,
  escaping: EscapingScheme = 'allow-utf-8',
): string {
  let weight = Object.keys(SCRAPE_PROTOCOL_HEADERS).length + 1;
  const parts: string[] = [];
  for (const p of protocols) {
    let v = SCRAPE_PROTOCOL_HEADERS[p];
    if (p === 'PrometheusText1.0.0' || p === 'OpenMetricsText1.0.0') v += ';escaping=' + escaping;
    parts.push(v + ';q=0.' + weight);
    weight--;
  }
  parts.push('*/*;q=0.' + weight);
  return parts.join(',');
}

/** The formats Vigil can parse: what a scrape reads a response as. */
export type ScrapeFormat = 'text' | 'openmetrics' | 'protobuf';

/** The parser a scrape uses for a response. */
export interface ParserChoice {
  readonly format: ScrapeFormat;
  /** The protocol the choice stands for. */
  readonly protocol: ScrapeProtocol;
  /** True when the `Content-Type` was missing or unknown and the fallback was used. */
  readonly fallback: boolean;
}

/**
 * Picks the parser for a response's `Content-Type`: `text/plain` is the text format (0.0.4 and
 * 1.0.0 alike), `application/openmetrics-text` OpenMetrics and `application/vnd.google.protobuf`
 * protobuf. A missing, malformed or unknown type uses `fallback` (`fallback_scrape_protocol`), by
 * default the text format 0.0.4 as the spec's last resort; pass `null` to get `undefined` instead,
 * which is Prometheus 3's behaviour when no fallback is configured (the scrape fails).
 */
export function parserForContentType(
  contentType: string | undefined,
  fallback: ScrapeProtocol | null = 'PrometheusText0.0.4',
): ParserChoice | undefined {
  const mt = contentType === undefined ? undefined : parseMediaRange(contentType);
  if (mt !== undefined) {
    const version = mt.params.get('version');
    switch (mt.type) {
      case 'text/plain':
        return {
          format: 'text',
          protocol: version === '1.0.0' ? 'PrometheusText1.0.0' : 'PrometheusText0.0.4',
          fallback: false,
        };
      case 'application/openmetrics-text':
        return {
          format: 'openmetrics',
          protocol: version === '0.0.1' ? 'OpenMetricsText0.0.1' : 'OpenMetricsText1.0.0',
          fallback: false,
        };
      case 'application/vnd.google.protobuf':
        return { format: 'protobuf', protocol: 'PrometheusProto', fallback: false };
    }
  }
  if (fallback === null) return undefined;
  return { format: formatOf(fallback), protocol: fallback, fallback: true };
}

function formatOf(p: ScrapeProtocol): ScrapeFormat {
  if (p === 'PrometheusProto') return 'protobuf';
  return p === 'OpenMetricsText0.0.1' || p === 'OpenMetricsText1.0.0' ? 'openmetrics' : 'text';
}

/** The format a target answers a scrape with: what `writeText`/`writeOpenMetrics` should write. */
export interface ResponseFormat {
  /** Which writer to use. */
  readonly format: 'text' | 'openmetrics';
  readonly protocol: ScrapeProtocol;
  /** The `Content-Type` header to send. */
  readonly contentType: string;
  /** The name escaping to write with (the writers' `escaping` option). */
  readonly escaping: EscapingScheme;
}

/**
 * Chooses how Vigil answers a request for its own metrics with `accept`: the acceptable media
 * range with the highest `q` (the most specific first on a tie) that Vigil writes — OpenMetrics
 * 1.0.0 or 0.0.1, the text format 1.0.0 or 0.0.4 — else the text format 0.0.4. Ranges with `q=0`
 * are refused; `*\/*` alone gives the text format. The `escaping` parameter of the chosen range is
 * honoured when valid, else names are escaped with underscores; the 0.0.x formats never carry UTF-8
 * names, so they always escape. With `openMetrics: false`, OpenMetrics is never chosen.
 */
export function negotiateResponseFormat(
  accept: string | undefined,
  options: { openMetrics?: boolean } = {},
): ResponseFormat {
  const ranges = accept === undefined ? [] : parseAccept(accept);
  for (const r of ranges) {
    const version = r.params.get('version');
    const requested = parseEscapingScheme(r.params.get('escaping') ?? '') ?? DEFAULT_ESCAPING_SCHEME;
    if (r.type === 'application/openmetrics-text' && options.openMetrics !== false) {
      if (version === '0.0.1') return response('OpenMetricsText0.0.1', legacyOnly(requested));
      if (version === undefined || version === '1.0.0') return response('OpenMetricsText1.0.0', requested);
    } else if (r.type === 'text/plain') {
      if (version === '1.0.0') return response('PrometheusText1.0.0', requested);
      if (version === undefined || version === '0.0.4')
        return response('PrometheusText0.0.4', legacyOnly(requested));
    }
  }
  return response('PrometheusText0.0.4', DEFAULT_ESCAPING_SCHEME);
}

/** The 0.0.x formats cannot carry quoted names: `allow-utf-8` falls back to the default escaping. */
function legacyOnly(s: EscapingScheme): EscapingScheme {
  return s === 'allow-utf-8' ? DEFAULT_ESCAPING_SCHEME : s;
}

function response(protocol: ScrapeProtocol, escaping: EscapingScheme): ResponseFormat {
  switch (protocol) {
    case 'OpenMetricsText1.0.0':
      return {
        format: 'openmetrics',
        protocol,
        contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=' + escaping,
        escaping,
      };
    case 'OpenMetricsText0.0.1':
      return {
        format: 'openmetrics',
        protocol,
        contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8',
        escaping,
      };
    case 'PrometheusText1.0.0':
      return {
        format: 'text',
        protocol,
        contentType: 'text/plain; version=1.0.0; charset=utf-8; escaping=' + escaping,
        escaping,
      };
    default:
      return {
        format: 'text',
        protocol: 'PrometheusText0.0.4',
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        escaping,
      };
  }
}

/** One media range of an `Accept` header, or a parsed `Content-Type`. */
interface MediaRange {
  /** `type/subtype`, lower case. */
  readonly type: string;
  /** Parameters other than `q`, names lower case, values unquoted. */
  readonly params: Map<string, string>;
  readonly q: number;
}

/** `type/subtype` tokens (RFC 9110): anything else is rejected, never passed on. */
const MEDIA_TYPE = /^[a-z0-9!#$%&'*+.^_`|~-]+\/[a-z0-9!#$%&'*+.^_`|~-]+$/;

function parseMediaRange(s: string): MediaRange | undefined {
  const parts = s.split(';');
  const type = parts[0].trim().toLowerCase();
  if (!MEDIA_TYPE.test(type)) return undefined;
  const params = new Map<string, string>();
  let q = 1;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name === 'q') {
      const n = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
      q = n;
    } else params.set(name, value);
  }
  return { type, params, q };
}

/** Specificity of a range: `*\/*` < `type/*` < `type/subtype` < with parameters. */
function specificity(r: MediaRange): number {
  if (r.type === '*/*') return 0;
  if (r.type.endsWith('/*')) return 1;
  return 2 + r.params.size;
}

/** The acceptable ranges of an `Accept` header, best first; malformed ranges are skipped. */
function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const r = parseMediaRange(part);
    if (r !== undefined && r.q > 0) out.push(r);
  }
  // Array.prototype.sort is stable: equal ranges keep the header's order.
  return out.sort((a, b) => b.q - a.q || specificity(b) - specificity(a));
}
