import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firWasmModule, TS_FILE } from '../../scripts/build-wasm.ts';

describe('fir-wasm.ts', () => {
  it('holds exactly what fir.wat assembles to (npm run build:wasm after editing the .wat)', async () => {
    expect(readFileSync(TS_FILE, 'utf8')).toBe(await firWasmModule());
  });
});
