/**
 * The PromQL editor: CodeMirror 6 with codemirror-promql's language, completion from the server's
 * API and lint from the server's parser. Enter executes, Shift+Enter adds a line.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { bracketMatching } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { useEffect, useRef } from 'preact/hooks';
import { serverCompleteStrategy } from './complete.js';
import { serverLintStrategy } from './lint.js';
import { editorTheme, highlight } from './theme.js';

export interface EditorProps {
  value: string;
  onChange: (expr: string) => void;
  onExecute: (expr: string) => void;
}

export function Editor({ value, onChange, onExecute }: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor lives across renders; callbacks reach the latest props through refs.
  const props = useRef({ onChange, onExecute });
  props.current = { onChange, onExecute };

  useEffect(() => {
    const promql = new PromQLExtension()
      .setComplete({ completeStrategy: serverCompleteStrategy() })
      .setLinter(serverLintStrategy());
    const run = (v: EditorView): boolean => {
      props.current.onExecute(v.state.doc.toString());
      return true;
    };
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          promql.asExtension(),
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion({ icons: false }),
          placeholder('Expression (press Shift+Enter for newlines)'),
          EditorView.lineWrapping,
          editorTheme,
          highlight,
          Prec.high(
            keymap.of([
              { key: 'Enter', run },
              { key: 'Shift-Enter', run: insertNewline },
            ]),
          ),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) props.current.onChange(u.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'PromQL expression' }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      promql.destroy();
    };
    // Created once; later `value` changes are pushed in by the effect below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v !== null && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div class="editor" ref={host} />;
}
