/**
 * A small path router: literal segments, `:name` segments and a trailing `*name` that takes the
 * rest. Enough for Prometheus' routes; a lookup is a map hit for literal paths and a short scan
 * for parameterised ones.
 */

/** Route parameters by name, already percent-decoded. */
export type RouteParams = Readonly<Record<string, string>>;

/** The outcome of a lookup. */
export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: RouteParams }
  /** The path exists but not for this method; `allow` lists the methods it has. */
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

interface Pattern<H> {
  segments: string[];
  methods: Map<string, H>;
}

export class Router<H> {
  readonly #literal = new Map<string, Map<string, H>>();
  readonly #patterns: Pattern<H>[] = [];

  /** Adds `handler` for `method` (`GET`, `POST`, …) and `path` (`/api/v1/label/:name/values`). */
  add(method: string, path: string, handler: H): this {
    if (!path.includes(':') && !path.includes('*')) {
      let m = this.#literal.get(path);
      if (m === undefined) this.#literal.set(path, (m = new Map<string, H>()));
      m.set(method, handler);
      return this;
    }
    const segments = path.split('/');
    let p = this.#patterns.find((x) => x.segments.join('/') === segments.join('/'));
    if (p === undefined) this.#patterns.push((p = { segments, methods: new Map<string, H>() }));
    p.methods.set(method, handler);
    return this;
  }

  /** Adds one handler for several methods. */
  addAll(methods: readonly string[], path: string, handler: H): this {
    for (const m of methods) this.add(m, path, handler);
    return this;
  }

  /**
   * Finds the handler of `method` and `path` (the raw, still percent-encoded path). A literal
   * path wins over patterns; among the routes that match the path, the first with the method does.
   */
  lookup(method: string, path: string): RouteMatch<H> {
    const allow = new Set<string>();
    const lit = this.#literal.get(path);
    if (lit !== undefined) {
      const h = handlerFor(lit, method);
      if (h !== undefined) return { kind: 'found', handler: h, params: {} };
      for (const m of lit.keys()) allow.add(m);
    }
    const parts = path.split('/');
    for (const p of this.#patterns) {
      const params = matchPattern(p.segments, parts);
      if (params === undefined) continue;
      const h = handlerFor(p.methods, method);
      if (h !== undefined) return { kind: 'found', handler: h, params };
      for (const m of p.methods.keys()) allow.add(m);
    }
    return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
  }
}

// HEAD falls back to GET, as in Go's router.
function handlerFor<H>(methods: Map<string, H>, method: string): H | undefined {
  return methods.get(method) ?? (method === 'HEAD' ? methods.get('GET') : undefined);
}

function matchPattern(
  segments: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg.startsWith('*')) {
      params[seg.slice(1)] = safeDecode(parts.slice(i).join('/'));
      return params;
    }
    if (i >= parts.length) return undefined;
    if (seg.startsWith(':')) {
      if (parts[i] === '') return undefined;
      params[seg.slice(1)] = safeDecode(parts[i]);
    } else if (seg !== parts[i]) return undefined;
  }
  return segments.length === parts.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
