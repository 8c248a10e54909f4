/** A collapsible section with a title and a short count, for scrape pools and rule groups. */
import type { ComponentChildren } from 'preact';

export interface GroupProps {
  title: ComponentChildren;
  /** Shown after the title in small type, e.g. `3 / 4 up`. */
  count?: ComponentChildren;
  countClass?: string;
  open?: boolean;
  children: ComponentChildren;
}

export function Group({ title, count, countClass, open = true, children }: GroupProps) {
  return (
    <details class="group" open={open}>
      <summary>
        <span class="group-title">{title}</span>{' '}
        {count !== undefined && (
          <span class={countClass === undefined ? 'count' : `count ${countClass}`}>{count}</span>
        )}
      </summary>
      {children}
    </details>
  );
}
