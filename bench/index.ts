// `npm run bench` runs every bench/*.bench.ts and prints each figure beside its target;
// `npm run bench -- --json` prints one JSON object per figure instead.
// `npm run bench -- NAME…` runs only the bench files whose names contain NAME.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Bench, Figure } from './figure.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));
const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

let failed = 0;
for (const file of files) {
  const bench = (await import(pathToFileURL(join(dir, file)).href)) as { default: Bench };
  let figures: Figure[];
  try {
    figures = await bench.default();
  } catch (err) {
    console.error(`${file}: ${(err as Error).stack ?? String(err)}`);
    failed++;
    continue;
  }
  for (const f of figures) {
    if (json) console.log(JSON.stringify(f));
    else
      console.log(
        `${f.ok ? 'ok  ' : 'MISS'}  ${f.name.padEnd(58)} ${`${f.value} ${f.unit}`.padStart(16)}   target ${f.target}`,
      );
  }
}
process.exit(failed ? 1 : 0);
