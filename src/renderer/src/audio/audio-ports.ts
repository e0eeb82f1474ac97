// The audio ports the preload hands this page, one per dictation (see
// shared/audio/audio-port-handoff.ts). The listener is added when this module loads, before
// any dictation can start: a handoff arrives as a task of its own, which may run before the
// code that started the dictation asks for the port.
import { isAudioPortHandoff } from '../../../shared/audio/audio-port-handoff.ts';

/** How long a started dictation's port may take: the preload posts it before start()
 * resolves, so only a broken bridge ever waits this long. */
const HANDOFF_TIMEOUT_MS = 5000;

const arrived = new Map<number, MessagePort>();
const waiting = new Map<number, (port: MessagePort) => void>();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // Only this window itself (where the preload posts from) may hand over a port; a frame or
  // another window never can.
  const port = event.ports[0];
  if (event.source !== window || !port || !isAudioPortHandoff(event.data)) return;
  const { dictationId } = event.data;
  const claim = waiting.get(dictationId);
  if (claim) claim(port);
  else arrived.set(dictationId, port);
});

/** The audio port of dictation `dictationId`, once the preload has handed it over. */
export function audioPort(dictationId: number): Promise<MessagePort> {
  // Ports of earlier dictations that nobody claimed (their microphone never opened) go.
  for (const [id, stale] of arrived) {
    if (id < dictationId) {
      stale.close();
      arrived.delete(id);
    }
  }
  const port = arrived.get(dictationId);
  if (port) {
    arrived.delete(dictationId);
    return Promise.resolve(port);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(dictationId);
      reject(new Error(`The audio channel of dictation ${dictationId} never arrived.`));
    }, HANDOFF_TIMEOUT_MS);
    waiting.set(dictationId, (p) => {
      clearTimeout(timer);
      waiting.delete(dictationId);
      resolve(p);
    });
  });
}
