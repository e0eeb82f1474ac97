// page/wire.js in Node: the stand-in's main-process side of IPC encodes and decodes with the
// very code its pages use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PAGE_DIR = join(import.meta.dirname, 'page');

/** The source of a page script. */
export function pageScript(name: string): string {
  return readFileSync(join(PAGE_DIR, name), 'utf8');
}

export interface Wire {
  encode(value: unknown): unknown;
  decode(tree: unknown): unknown;
}

export const wire = new Function(`${pageScript('wire.js')}\nreturn createWire();`)() as Wire;
