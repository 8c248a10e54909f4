/** Kahan–Babuška (Neumaier) compensated summation, as Prometheus' `kahansum.Inc`. */

/** Adds `inc` to the running `sum` with compensation `c`; returns the new [sum, c]. */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}
