// Audio pieces joined end to end, for tests that build or collect audio in parts.

/** `parts` one after another in one new array of their kind (`Kind`). */
export function concatSamples<T extends Int16Array | Float32Array>(
  Kind: new (length: number) => T,
  parts: readonly T[],
): T {
  const out = new Kind(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
