// One benchmark figure, as `npm run bench -- --json` prints it.
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target from the issue, human-readable, e.g. "≤ 5 ms p95". */
  target: string;
  ok: boolean;
}

/** A benchmark module: `bench/<area>.bench.ts` default-exports one of these. */
export type Bench = () => Promise<Figure[]>;

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function figure(
  name: string,
  value: number,
  unit: string,
  max: number | undefined,
  target?: string,
): Figure {
  return {
    name,
    value: Math.round(value * 1000) / 1000,
    unit,
    target: target ?? (max === undefined ? 'reported' : `≤ ${max} ${unit}`),
    ok: max === undefined ? true : value <= max,
  };
}
