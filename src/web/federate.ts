/**
 * `/federate?match[]=…`: the newest sample of every matching series within the lookback delta,
 * in the text format, each family `untyped`, with the external labels added (and an empty
 * `instance` when the series has none), as Prometheus' federation handler writes it.
 */
import { TEXT_CONTENT_TYPE } from '../exposition/writer-text.js';
import { formatFloat } from '../exposition/writer-common.js';
import type { Labels } from '../model/labels.js';
import { METRIC_NAME } from '../model/labels.js';
import { formatLabelName, isLegacyMetricName } from '../model/names.js';
import { isStaleNaN } from '../model/value.js';
import { ValueType } from '../storage/interface.js';
import type { Queryable } from '../storage/interface.js';
import { ApiError } from './errors.js';
import type { WebRequest, WebResponse } from './http-types.js';
import { readForm } from './params.js';
import { send, sendText } from './respond.js';
import { parseMatchers } from './selectors.js';

/** The newest sample of one series. */
interface Latest {
  labels: Labels;
  t: number;
  v: number;
}

function escapeValue(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** The federation text of `matchers` at `now`. */
export function federate(
  q: Queryable,
  sets: ReturnType<typeof parseMatchers>,
  now: number,
  lookbackDelta: number,
  externalLabels: Labels | undefined,
): string {
  const mint = now - lookbackDelta;
  const querier = q.querier(mint, now);
  const found = new Map<string, Latest>();
  try {
    for (const ms of sets) {
      const ss = querier.select(true, { start: mint, end: now }, ...ms);
      while (ss.next()) {
        const s = ss.at();
        if (found.has(s.labels.key)) continue;
        const it = s.iterator();
        let t = Number.NaN;
        let v = 0;
        // The newest sample at or before `now` (the querier already bounds the range).
        while (it.next() === ValueType.Float) {
          if (it.t() > now) break;
          t = it.t();
          v = it.v();
        }
        if (Number.isNaN(t) || t < mint || isStaleNaN(v)) continue;
        found.set(s.labels.key, { labels: s.labels, t, v });
      }
    }
  } finally {
    querier.close();
  }
  const list = [...found.values()].sort((a, b) => {
    const an = a.labels.metricName();
    const bn = b.labels.metricName();
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  const external = new Map<string, string>([['instance', '']]);
  externalLabels?.forEach((n, v) => external.set(n, v));
  let out = '';
  let lastName: string | undefined;
  for (const s of list) {
    const name = s.labels.metricName();
    if (name === '') continue; // Prometheus skips nameless series.
    const pairs: [string, string][] = [];
    s.labels.forEach((n, v) => {
      if (n !== METRIC_NAME) pairs.push([n, v]);
    });
    for (const [n, v] of external) if (!s.labels.has(n)) pairs.push([n, v]);
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const legacy = isLegacyMetricName(name);
    const printed = legacy ? name : `"${escapeValue(name)}"`;
    if (name !== lastName) out += `# TYPE ${printed} untyped\n`;
    lastName = name;
    const labelText = pairs.map(([n, v]) => `${formatLabelName(n)}="${escapeValue(v)}"`);
    if (!legacy) labelText.unshift(printed);
    out += `${legacy ? name : ''}{${labelText.join(',')}} ${formatFloat(s.v)} ${Math.trunc(s.t)}\n`;
  }
  return out;
}

/** The `/federate` HTTP handler. */
export async function federateHandler(
  req: WebRequest,
  res: WebResponse,
  q: Queryable,
  now: number,
  lookbackDelta: number,
  externalLabels: Labels | undefined,
): Promise<void> {
  let sets;
  try {
    const form = await readForm(req, new URL(req.url ?? '/', 'http://x').search);
    sets = parseMatchers(form.all('match[]'));
  } catch (e) {
    return sendText(
      req,
      res,
      400,
      `${e instanceof ApiError || e instanceof Error ? e.message : String(e)}\n`,
    );
  }
  return send(req, res, 200, TEXT_CONTENT_TYPE, federate(q, sets, now, lookbackDelta, externalLabels));
}
