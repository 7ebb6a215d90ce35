/** A numeric expectation such as `== 1`, `< 0.05` or `>= 99.9`, used by prometheus checks and line counts. */
export interface Comparison {
  readonly op: ComparisonOp;
  readonly value: number;
  readonly text: string;
}

export const COMPARISON_OPS = ['==', '!=', '<=', '>=', '<', '>'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const COMPARISON_RE = /^(==|!=|<=|>=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i;

/** Parses `>= 0.99` into a comparison; `undefined` when the text is not one. */
export function parseComparison(text: string): Comparison | undefined {
  const match = COMPARISON_RE.exec(text.trim());
  if (!match) return undefined;
  return { op: match[1] as ComparisonOp, value: Number(match[2]), text: `${match[1]} ${match[2]}` };
}

/** True when `actual` satisfies the comparison. NaN never does. */
export function compare(actual: number, expected: Comparison): boolean {
  if (Number.isNaN(actual)) return false;
  switch (expected.op) {
    case '==':
      return actual === expected.value;
    case '!=':
      return actual !== expected.value;
    case '<':
      return actual < expected.value;
    case '<=':
      return actual <= expected.value;
    case '>':
      return actual > expected.value;
    case '>=':
      return actual >= expected.value;
  }
}
