/** The table every status page uses: horizontally scrollable, an optional header row. */
import type { ComponentChildren } from 'preact';

export interface TableProps {
  head?: readonly string[];
  /** Extra classes: `cards` folds rows into labelled cards on a phone, `kv` for name/value. */
  class?: string;
  caption?: string;
  children: ComponentChildren;
}

export function Table({ head, class: cls, caption, children }: TableProps) {
  return (
    <div class="table-wrap">
      <table class={cls === undefined ? 'table' : `table ${cls}`}>
        {caption !== undefined && <caption>{caption}</caption>}
        {head !== undefined && (
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
