/**
 * Typed readers for untrusted Kubernetes API JSON. Each reader checks one field's type and names its
 * path in the error, so a malformed object is rejected at the boundary instead of cast with `as`.
 */
import { DiscoveryError } from './errors.js';

/** A JSON object whose fields are still unchecked. */
export type JsonObject = Readonly<Record<string, unknown>>;

function invalid(path: string, want: string): DiscoveryError {
  return new DiscoveryError('ERR_SD_K8S_INVALID_OBJECT', `${path}: expected ${want}`);
}

/** Returns `v` as an object; throws a `DiscoveryError` naming `path` otherwise. */
export function asObject(v: unknown, path: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(path, 'an object');
  return v as JsonObject; // Checked just above: a non-null, non-array object.
}

/** The object at `o[key]`, or an empty object when the field is absent or null. */
export function objectField(o: JsonObject, key: string, path: string): JsonObject {
  const v = o[key];
  return v === undefined || v === null ? {} : asObject(v, `${path}.${key}`);
}

/** The string at `o[key]`, or `''` when absent or null. */
export function stringField(o: JsonObject, key: string, path: string): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalid(`${path}.${key}`, 'a string');
  return v;
}

/** The integer at `o[key]`, or 0 when absent or null. */
export function intField(o: JsonObject, key: string, path: string): number {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(`${path}.${key}`, 'an integer');
  return v;
}

/** The boolean at `o[key]`, or `undefined` when absent or null. */
export function boolField(o: JsonObject, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${path}.${key}`, 'a boolean');
  return v;
}

/** The array at `o[key]` with each element decoded by `item`, or `[]` when absent or null. */
export function arrayField<T>(
  o: JsonObject,
  key: string,
  path: string,
  item: (v: unknown, path: string) => T,
): T[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(`${path}.${key}`, 'an array');
  return v.map((x: unknown, i) => item(x, `${path}.${key}[${i}]`));
}

/** The string-to-string map at `o[key]` (labels, annotations), or `{}` when absent or null. */
export function stringMapField(o: JsonObject, key: string, path: string): Record<string, string> {
  const m = objectField(o, key, path);
  const out: Record<string, string> = {};
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (typeof v !== 'string') throw invalid(`${path}.${key}.${k}`, 'a string');
    out[k] = v;
  }
  return out;
}

/** Returns `v` as a string; throws a `DiscoveryError` naming `path` otherwise. */
export function asString(v: unknown, path: string): string {
  if (typeof v !== 'string') throw invalid(path, 'a string');
  return v;
}
