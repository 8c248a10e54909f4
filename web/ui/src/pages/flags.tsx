/** The server's command-line flags, filterable by name or value. */
import { useState } from 'preact/hooks';
import { useAPI } from '../api/client.js';
import { FilterInput } from '../components/filter.js';
import { Empty, Loaded, Page } from '../components/status.js';
import { Table } from '../components/table.js';
import { matches } from '../lib/text-filter.js';
import type { Flags } from '../lib/api-types.js';

export function FlagsPage() {
  const [flags] = useAPI<Flags>('/status/flags');
  const [filter, setFilter] = useState('');
  return (
    <Page
      title="Command-line flags"
      actions={<FilterInput value={filter} onInput={setFilter} label="Filter flags" />}
    >
      <Loaded
        value={flags}
        render={(d) => {
          const rows = Object.entries(d)
            .filter(([k, v]) => matches(filter, k, v))
            .sort(([a], [b]) => (a < b ? -1 : 1));
          if (rows.length === 0) return <Empty>No flags match the filter.</Empty>;
          return (
            <Table class="kv" head={['Flag', 'Value']}>
              {rows.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" class="mono">
                    --{k}
                  </th>
                  <td class="mono">{v}</td>
                </tr>
              ))}
            </Table>
          );
        }}
      />
    </Page>
  );
}
