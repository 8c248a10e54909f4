/** The console's frame: navigation (a menu button on narrow screens), theme switch, and the page. */
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AlertsPage } from './pages/alerts.js';
import { ConfigPage } from './pages/config.js';
import { FlagsPage } from './pages/flags.js';
import { RulesPage } from './pages/rules.js';
import { ServiceDiscoveryPage } from './pages/service-discovery.js';
import { StatusPage } from './pages/status.js';
import { TargetsPage } from './pages/targets.js';
import { TSDBStatusPage } from './pages/tsdb-status.js';
import { useLazy } from './lazy.js';
import { ROUTES } from './routes.js';
import { basePath, navigate, useLocation } from './router.js';
import { useTheme } from './theme.js';
import { ThemeContext } from './theme-context.js';

// The Query page brings CodeMirror and uPlot: a chunk of its own, fetched when first shown.
const loadQueryPage = () => import('./pages/query.js').then((m) => m.QueryPage);

function LazyQueryPage({ search }: { search: string }) {
  const QueryPage = useLazy(loadQueryPage);
  return QueryPage === null ? <div class="loading">Loading…</div> : <QueryPage search={search} />;
}

// One component a route of ROUTES; the Query page is the only one that reads the query string.
const PAGES: Record<string, FunctionComponent<{ search: string }>> = {
  '/query': LazyQueryPage,
  '/alerts': AlertsPage,
  '/targets': TargetsPage,
  '/service-discovery': ServiceDiscoveryPage,
  '/rules': RulesPage,
  '/tsdb-status': TSDBStatusPage,
  '/status': StatusPage,
  '/config': ConfigPage,
  '/flags': FlagsPage,
};

function page(path: string, search: string): ComponentChildren {
  const Page = PAGES[path];
  if (Page !== undefined) return <Page search={search} />;
  return (
    <section class="page">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>.
      </p>
    </section>
  );
}

export function App() {
  const loc = useLocation();
  const [choice, theme, cycleTheme] = useTheme();
  const [menuOpen, setMenuOpen] = useState(false);
  const title = ROUTES.find((r) => r.path === loc.path)?.title ?? 'Not found';
  useEffect(() => {
    document.title = `${title} – Vigil`;
    setMenuOpen(false);
  }, [loc.path]);

  return (
    <ThemeContext.Provider value={theme}>
      <header class="topbar">
        <a class="brand" href={`${basePath}/query`} onClick={(e) => (e.preventDefault(), navigate('/query'))}>
          Vigil
        </a>
        <button
          type="button"
          class="menu-button"
          aria-expanded={menuOpen}
          aria-controls="nav"
          aria-label="Menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          ☰
        </button>
        <nav id="nav" class={menuOpen ? 'open' : ''}>
          {ROUTES.map((r) => (
            <a
              key={r.path}
              href={`${basePath}${r.path}`}
              aria-current={loc.path === r.path ? 'page' : undefined}
              onClick={(e) => {
                // Plain clicks stay in the app; modified clicks open a tab as links should.
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                e.preventDefault();
                navigate(r.path);
              }}
            >
              {r.title}
            </a>
          ))}
        </nav>
        <button
          type="button"
          class="theme-button"
          title={`Theme: ${choice} (click to change)`}
          aria-label={`Theme: ${choice}`}
          onClick={cycleTheme}
        >
          {choice === 'auto' ? '◐' : choice === 'light' ? '☀' : '☾'}
        </button>
      </header>
      <main>{page(loc.path, loc.search)}</main>
    </ThemeContext.Provider>
  );
}
