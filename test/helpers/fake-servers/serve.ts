// Runs a scripted far side in its own process (so that a benchmark measures only the client):
// `node test/helpers/fake-servers/serve.ts [seed|openai|azure|dashscope|speaches]` prints its
// URL as the first line of stdout and serves until killed.
import { FLAVORS } from './flavors.ts';
import { startScriptedServer } from './scripted-server.ts';

const name = (process.argv[2] ?? 'seed') as keyof typeof FLAVORS;
const flavor = FLAVORS[name];
if (!flavor) {
  console.error(`Unknown flavor "${name}"; one of: ${Object.keys(FLAVORS).join(', ')}.`);
  process.exit(2);
}
const server = await startScriptedServer({ flavor });
console.log(server.url);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
