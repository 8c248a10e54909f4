/** A two-column table of names and values (runtime info, build info, head stats). */
import type { ComponentChildren } from 'preact';
import { Table } from './table.js';

export function KVTable({ rows, caption }: { rows: [string, ComponentChildren][]; caption?: string }) {
  return (
    <Table class="kv" caption={caption}>
      {rows.map(([k, v]) => (
        <tr key={k}>
          <th scope="row">{k}</th>
          <td>{v}</td>
        </tr>
      ))}
    </Table>
  );
}
