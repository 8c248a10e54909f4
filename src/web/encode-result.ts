/**
 * Query results as the `data` of `/api/v1/query` and `/query_range`, written straight to a
 * string (no intermediate objects: a range result can hold millions of points).
 */
import type { Labels } from '../model/labels.js';
import type { QueryResult } from '../promql/engine/value.js';
import { formatSampleValue, formatTimestamp, jsonString } from './json-values.js';

/** A label set as a JSON object in label order: `{"__name__":"up","job":"api"}`. */
export function encodeLabels(l: Labels): string {
  let s = '{';
  for (let i = 0; i < l.size; i++) {
    if (i > 0) s += ',';
    s += jsonString(l.nameAt(i)) + ':' + jsonString(l.valueAt(i));
  }
  return s + '}';
}

/** `[<seconds>,"<value>"]`. */
function point(t: number, v: number): string {
  return '[' + formatTimestamp(t) + ',"' + formatSampleValue(v) + '"]';
}

/** The encoded `resultType` and `result`, and whether `limit` cut series off. */
export interface EncodedResult {
  /**
   * `"resultType":…,"result":…` in pieces to be concatenated (one per series), so that an answer
   * larger than V8's longest string can still be sent; the caller wraps it in braces.
   */
  readonly fields: string[];
  readonly truncated: boolean;
}

/** `"resultType":"<type>","result":[` + the items separated by commas + `]`, as pieces. */
function listFields(type: string, items: string[]): string[] {
  const out = new Array<string>(items.length + 2);
  out[0] = `"resultType":"${type}","result":[`;
  for (let i = 0; i < items.length; i++) out[i + 1] = i === 0 ? items[i] : ',' + items[i];
  out[items.length + 1] = ']';
  return out;
}

/**
 * Encodes a result. `limit` > 0 keeps only the first `limit` series of a vector or matrix (the
 * API's `limit` parameter); scalars and strings are never cut.
 */
export function encodeQueryResult(r: QueryResult, limit = 0): EncodedResult {
  switch (r.type) {
    case 'scalar':
      return { fields: [`"resultType":"scalar","result":${point(r.t, r.v)}`], truncated: false };
    case 'string':
      return {
        fields: [`"resultType":"string","result":[${formatTimestamp(r.t)},${jsonString(r.s)}]`],
        truncated: false,
      };
    case 'vector': {
      const n = limit > 0 ? Math.min(limit, r.samples.length) : r.samples.length;
      const parts: string[] = new Array<string>(n);
      const ts = formatTimestamp(r.t);
      for (let i = 0; i < n; i++) {
        const smp = r.samples[i];
        parts[i] =
          '{"metric":' +
          encodeLabels(smp.labels) +
          ',"value":[' +
          ts +
          ',"' +
          formatSampleValue(smp.v) +
          '"]}';
      }
      return {
        fields: listFields('vector', parts),
        truncated: n < r.samples.length,
      };
    }
    case 'matrix': {
      const n = limit > 0 ? Math.min(limit, r.series.length) : r.series.length;
      const parts: string[] = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const s = r.series[i];
        const pts: string[] = new Array<string>(s.ts.length);
        for (let j = 0; j < s.ts.length; j++) pts[j] = point(s.ts[j], s.vs[j]);
        parts[i] = '{"metric":' + encodeLabels(s.labels) + ',"values":[' + pts.join(',') + ']}';
      }
      return {
        fields: listFields('matrix', parts),
        truncated: n < r.series.length,
      };
    }
  }
}
