/**
 * Lints the query with the server's own parser (`/api/v1/parse_query`), so the editor shows
 * exactly the errors Execute would. When the server cannot be asked (offline, an older server),
 * codemirror-promql's static analysis stands in.
 */
import type { Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import { PromQLExtension, type LintStrategy } from '@prometheus-io/codemirror-promql';
import { APIError, fetchAPI } from '../api/client.js';
import { errorSpan } from '../lib/error-position.js';

const fallback = new PromQLExtension().getLinter();

export function serverLintStrategy(): LintStrategy {
  return {
    promQL() {
      const local = fallback.promQL();
      return async (view: EditorView): Promise<readonly Diagnostic[]> => {
        const query = view.state.doc.toString();
        if (query.trim() === '') return [];
        try {
          await fetchAPI<unknown>('/parse_query', { query });
          return [];
        } catch (e) {
          if (!(e instanceof APIError) || e.errorType !== 'bad_data') return local(view);
          const span = errorSpan(query, e.message);
          if (span === null) return [{ from: 0, to: query.length, severity: 'error', message: e.message }];
          return [{ from: span.from, to: span.to, severity: 'error', message: span.message }];
        }
      };
    },
  };
}
