/** The Query page: a list of panels whose settings are the URL's `g0.…`, `g1.…` parameters. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Panel } from '../query/panel.js';
import { navigate } from '../router.js';
import { decodePanels, encodePanels, newPanel, type PanelState } from '../lib/url-state.js';

interface Keyed {
  key: number;
  panel: PanelState;
}

export function QueryPage({ search }: { search: string }) {
  const next = useRef(0);
  const keyed = (ps: PanelState[]): Keyed[] =>
    (ps.length > 0 ? ps : [newPanel()]).map((panel) => ({ key: next.current++, panel }));
  const [panels, setPanels] = useState<Keyed[]>(() => keyed(decodePanels(search)));
  const written = useRef(search);

  // Back/forward (or a link) to other panels: rebuild them, unless it is our own last write.
  useEffect(() => {
    if (search.replace(/^\?/, '') !== written.current.replace(/^\?/, '')) {
      written.current = search;
      setPanels(keyed(decodePanels(search)));
    }
  }, [search]);

  const commit = (list: Keyed[]): void => {
    setPanels(list);
    const q = encodePanels(list.map((k) => k.panel));
    written.current = q;
    navigate(`/query?${q}`);
  };

  return (
    <section class="page query-page">
      {panels.map(({ key, panel }, i) => (
        <Panel
          key={key}
          panel={panel}
          onChange={(p) => commit(panels.map((k, j) => (j === i ? { key: k.key, panel: p } : k)))}
          onRemove={panels.length > 1 ? () => commit(panels.filter((_, j) => j !== i)) : null}
        />
      ))}
      <button
        type="button"
        class="add-panel"
        onClick={() => commit([...panels, { key: next.current++, panel: newPanel() }])}
      >
        Add panel
      </button>
    </section>
  );
}
