/** A two-column table of names and values (runtime info, build info, flags, head stats). */
import type { ComponentChildren } from 'preact';

export function KVTable({ rows, caption }: { rows: [string, ComponentChildren][]; caption?: string }) {
  return (
    <div class="table-wrap">
      <table class="table kv">
        {caption !== undefined && <caption>{caption}</caption>}
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
