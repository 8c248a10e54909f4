/** Loading, error and empty states, shared by every page. */
import type { ComponentChildren } from 'preact';
import type { Loadable } from '../api/client.js';

export function ErrorBox({ children }: { children: ComponentChildren }) {
  return (
    <div class="alert error" role="alert">
      {children}
    </div>
  );
}

export function WarningBox({ children }: { children: ComponentChildren }) {
  return <div class="alert warning">{children}</div>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** Renders `render(data)` once loaded; a spinner before, the API's error after a failure. */
export function Loaded<T>({ value, render }: { value: Loadable<T>; render: (data: T) => ComponentChildren }) {
  if (value.state === 'loading') return <div class="loading">Loading…</div>;
  if (value.state === 'error') return <ErrorBox>Error: {value.error}</ErrorBox>;
  return (
    <>
      {value.warnings.map((w) => (
        <WarningBox key={w}>Warning: {w}</WarningBox>
      ))}
      {render(value.data)}
    </>
  );
}

export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section class="page">
      <header class="page-header">
        <h1>{title}</h1>
        {actions !== undefined && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
