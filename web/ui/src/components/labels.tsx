/** Label sets as badges (`job="node"`), the way status pages show them. */
import type { Metric } from '../lib/api-types.js';
import { labelPairs } from '../lib/format-labels.js';

export function Labels({ metric, withName = false }: { metric: Metric; withName?: boolean }) {
  const pairs = labelPairs(metric);
  return (
    <span class="labels">
      {withName && metric.__name__ !== undefined && <span class="label name">{metric.__name__}</span>}
      {pairs.map(([k, v]) => (
        <span class="label" key={k}>
          {k}="{v}"
        </span>
      ))}
    </span>
  );
}
