/** Times and series labels as promqltest scripts write them. */
import { Labels } from '../../model/labels.js';
import { parseDuration } from '../../model/time.js';
import { parseExpr } from '../parser.js';

/** Parses a time or duration as the test language writes it (`1m`, `0`, `10s53ms`). */
export function parseTestTime(s: string): number {
  if (/^-?\d+(?:\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (s.startsWith('-')) return -parseDuration(s.slice(1));
  return parseDuration(s);
}

/** Parses a series selector written with only equality matchers into labels. */
export function parseSeriesLabels(text: string): Labels {
  if (/^\{\s*\}$/.test(text)) return Labels.EMPTY;
  const e = parseExpr(text);
  if (e.type !== 'VectorSelector') throw new Error(`not a series: ${text}`);
  const rec: Record<string, string> = {};
  for (const m of e.matchers) rec[m.name] = m.value;
  return Labels.from(rec);
}
