/** The arithmetic operators of PromQL on two floats, shared by the engine and duration expressions. */

/** An arithmetic operator (`%` is Go's math.Mod, which JavaScript's `%` matches). */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';

/** Applies `op` to `l` and `r` with IEEE-754 semantics, as Prometheus does. */
export function applyArithmetic(op: ArithmeticOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return Math.pow(l, r);
  }
}
