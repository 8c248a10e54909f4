/** A coloured state badge: up/down/unknown for targets, ok/err for rules, firing/pending for alerts. */
const KIND: Record<string, string> = {
  up: 'ok',
  ok: 'ok',
  inactive: 'ok',
  down: 'bad',
  err: 'bad',
  firing: 'bad',
  pending: 'warn',
  unknown: 'neutral',
};

export function HealthBadge({ state }: { state: string }) {
  return <span class={`badge ${KIND[state] ?? 'neutral'}`}>{state.toUpperCase()}</span>;
}
