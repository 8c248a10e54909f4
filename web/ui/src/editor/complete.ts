/**
 * Autocompletion from the server's own API: metric names, label names and values come from
 * codemirror-promql's HTTP client (`/api/v1/labels`, `/label/…/values`, `/series`, `/metadata`);
 * functions are the library's list, narrowed to those the server's `/api/v1/features` enables.
 */
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { newCompleteStrategy, type CompleteStrategy } from '@prometheus-io/codemirror-promql';
import { fetchAPI } from '../api/client.js';
import { basePath } from '../router.js';

type Features = Record<string, Record<string, boolean> | undefined>;

// One features request for the page's lifetime; `null` when the server has none to tell.
let enabledFunctions: Promise<Set<string> | null> | undefined;

function serverFunctions(): Promise<Set<string> | null> {
  enabledFunctions ??= fetchAPI<Features>('/features').then(
    (r) => {
      const fns = r.data.promql_functions;
      return fns === undefined ? null : new Set(Object.keys(fns).filter((k) => fns[k]));
    },
    () => null,
  );
  return enabledFunctions;
}

export function serverCompleteStrategy(): CompleteStrategy {
  const inner = newCompleteStrategy({
    remote: {
      url: basePath,
      httpMethod: 'GET',
      cache: { maxAge: 5 * 60_000 },
      // Completion is a convenience: a failed lookup must not surface as an error.
      httpErrorHandler: () => undefined,
    },
  });
  return {
    async promQL(context: CompletionContext): Promise<CompletionResult | null> {
      const [result, fns] = await Promise.all([inner.promQL(context), serverFunctions()]);
      if (result === null || fns === null) return result;
      return { ...result, options: result.options.filter((o) => o.type !== 'function' || fns.has(o.label)) };
    },
    destroy: () => inner.destroy?.(),
  };
}
