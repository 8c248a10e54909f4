/** The editor's look from the page's CSS variables, so one theme switch restyles it too. */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

export const editorTheme = EditorView.theme({
  '&': { fontSize: '14px', color: 'var(--fg)', backgroundColor: 'var(--bg-input)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)', padding: '6px 0' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { overflow: 'auto', maxHeight: '12em' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--selection) !important',
  },
  '.cm-tooltip': {
    backgroundColor: 'var(--bg-raised)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
  },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': {
    backgroundColor: 'var(--accent)',
    color: 'var(--on-accent)',
  },
  '.cm-completionDetail': { color: 'var(--fg-muted)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-matchingBracket': { backgroundColor: 'var(--selection)', outline: '1px solid var(--border)' },
});

export const highlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: tags.keyword, color: 'var(--hl-keyword)' },
    { tag: tags.function(tags.variableName), color: 'var(--hl-function)' },
    { tag: tags.labelName, color: 'var(--hl-label)' },
    { tag: tags.string, color: 'var(--hl-string)' },
    { tag: tags.number, color: 'var(--hl-number)' },
    { tag: tags.comment, color: 'var(--fg-muted)', fontStyle: 'italic' },
    { tag: tags.operator, color: 'var(--hl-operator)' },
    { tag: tags.modifier, color: 'var(--hl-keyword)' },
    { tag: tags.invalid, color: 'var(--danger)' },
  ]),
);
