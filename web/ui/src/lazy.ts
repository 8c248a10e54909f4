/**
 * Loads a page module on first use, so the status pages do not wait for the editor and the
 * graph library (most of the bundle), and the Query page does not wait for them either.
 */
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function useLazy<P>(load: () => Promise<FunctionComponent<P>>): FunctionComponent<P> | null {
  const [component, setComponent] = useState<{ c: FunctionComponent<P> } | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((c) => live && setComponent({ c }));
    return () => {
      live = false;
    };
  }, [load]);
  return component?.c ?? null;
}
