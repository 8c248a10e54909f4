/**
 * A history-API router small enough to read: the console has a flat list of pages, so a path
 * lookup is all it needs. It also finds the prefix the console is served under (a reverse proxy
 * or --web.external-url path), which API requests share.
 */
import { useEffect, useState } from 'preact/hooks';
import { ROUTES } from './routes.js';

const NAMES = [...ROUTES.map((r) => r.path), '/graph'];

/** The path prefix before the page name: `''` at the root, `/prometheus` behind a proxy. */
export const basePath: string = (() => {
  const path = window.location.pathname;
  for (const name of NAMES) if (path.endsWith(name)) return path.slice(0, -name.length);
  return path.replace(/\/[^/]*$/, '');
})();

export interface Location {
  /** The page path without the base prefix, e.g. `/query`. */
  path: string;
  search: string;
}

function current(): Location {
  let path = window.location.pathname.slice(basePath.length) || '/';
  // Old Prometheus links: /graph?g0.expr=… is the Query page with the same parameters.
  if (path === '/graph' || path === '/' || path === '/index.html') {
    path = '/query';
    window.history.replaceState(null, '', `${basePath}/query${window.location.search}`);
  }
  return { path, search: window.location.search };
}

const CHANGE = 'vigil:navigate';

/** Goes to a page of the console without reloading; `replace` keeps the history entry. */
export function navigate(to: string, replace = false): void {
  const url = `${basePath}${to}`;
  if (url === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** The current location; re-renders on navigation and on the browser's back and forward. */
export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = (): void => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return loc;
}
