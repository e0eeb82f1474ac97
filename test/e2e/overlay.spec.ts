// The hands-free overlay as Electron runs it: the real built main and preload under the
// Electron stand-in (standin-app.ts). The hotkey is pressed where Electron's globalShortcut
// holds it (no key hook: no X display), main's HandsFreeController sends the overlay its
// start / stop / cancel commands, the overlay drives the microphone and shows the listening
// state, the level and the live text, and what was said is transcribed in full. A cancel (Esc)
// discards the dictation; a warm microphone sends the pre-roll from before `start`.
import { join } from 'node:path';
import { startLocalServer } from '../../src/server/index.ts';
import type { TranscriptEvent } from '../../src/shared/events.ts';
import { Channel, type DictationStatus, type DictationTranscript } from '../../src/shared/ipc.ts';
import { missingTools } from '../helpers/tools.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { historyCount, newUserData, writeSettings } from './app-data.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { startPartialRelay } from './partial-relay.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
/** The default dictation hotkey, and Esc, which cancels while Tingxie listens. */
const HOTKEY = 'CommandOrControl+Shift+Space';
const ESCAPE = 'Escape';
/** No X display, so no key hook: globalShortcut holds the hotkey, in toggle mode (a press
 * starts, the next stops), as on Wayland. */
const NO_KEY_HOOK = { DISPLAY: '' };

const skipReason = missingTools('Overlay e2e', [
  CHROMIUM,
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
]);
test.skip(skipReason !== undefined, skipReason);

let app: StandInApp | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
test.afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The overlay's window, once main has set up hands-free dictation. */
async function overlayOf(a: StandInApp) {
  const page = await a.overlayPage();
  await a.handsFreeReady();
  return { page, webContents: a.window('Tingxie overlay').webContents };
}

async function press(a: StandInApp, accelerator = HOTKEY): Promise<void> {
  expect(await a.pressShortcut(accelerator), `Tingxie holds ${accelerator}`).toBe(true);
}

test('the overlay listens on start, shows the live text, and the whole sentence is transcribed', async () => {
  // Speech starts at once: a first word cut by a slow start would show in the transcript.
  const speech = speakSentences([SENTENCE], 300, 1500);
  // The server, with a partial of ours said for the turn (the local server's own partial comes
  // just before the turn's transcript, too briefly to catch).
  const server = await startLocalServer({ engine: 'pocketsphinx' });
  cleanups.push(() => server.close());
  const relay = await startPartialRelay(server.url, 'quick brown 狐狸 🦊');
  cleanups.push(() => relay.close());
  const userData = newUserData();
  writeSettings(userData, (s) => {
    s.server.provider = 'custom';
    s.server.url = relay.url;
  });
  app = await launchStandInApp({ userData, audioFile: speech.path, env: NO_KEY_HOOK });
  const { page, webContents } = await overlayOf(app);
  const overlay = page.getByTestId('overlay');
  await expect(overlay, 'the #overlay page shows the overlay, not the app').toBeVisible();

  await press(app);
  await expect(overlay).toHaveAttribute('data-state', 'listening');
  await expect(page.getByTestId('overlay-state')).toHaveText('Listening…');
  await expect(page.getByRole('meter')).not.toHaveAttribute('aria-valuenow', '0');

  // Live text as main pushes it.
  await relay.said;
  await expect(page.getByTestId('overlay-text')).toHaveText('quick brown 狐狸 🦊');
  await page.screenshot({ path: join(SCREENSHOTS, 'overlay-listening.png') });
  relay.release();

  // Stop once the sentence has been captured (40 ms frames).
  const spokenFrames = Math.ceil((speech.spans[0]!.endMs + 500) / 40);
  await expect.poll(() => app!.frames().length, { timeout: 30_000 }).toBeGreaterThan(spokenFrames);
  await press(app);
  const states = () =>
    app!.events('dictation', webContents).map((e) => (e as DictationStatus).state);
  await expect.poll(states, { timeout: 45_000 }).toContain('idle');
  expect(states()).toEqual(['connecting', 'listening', 'finishing', 'idle']);
  await expect(overlay).toHaveAttribute('data-state', 'idle');

  const text = app
    .events('transcript', webContents)
    .map((e) => e as TranscriptEvent)
    .flatMap((e) => (e.type === 'completed' ? [e.transcript] : []))
    .join(' ');
  expect(wordErrorRate(SENTENCE, text), `heard “${text}”`).toBeLessThanOrEqual(0.2);
});

test('cancel closes the microphone, ends the dictation and discards its audio', async () => {
  const speech = speakSentences([SENTENCE], 300, 1000);
  app = await launchStandInApp({ audioFile: speech.path, env: NO_KEY_HOOK });
  const { page, webContents } = await overlayOf(app);
  const overlay = page.getByTestId('overlay');
  await expect(overlay, 'the #overlay page shows the overlay, not the app').toBeVisible();

  await press(app);
  await expect(overlay).toHaveAttribute('data-state', 'listening');
  // Esc halfway through the sentence: a commit now would transcribe its first half (40 ms frames).
  const { startMs, endMs } = speech.spans[0]!;
  const halfway = Math.ceil((startMs + endMs) / 2 / 40);
  await expect.poll(() => app!.frames().length, { timeout: 30_000 }).toBeGreaterThan(halfway);
  await press(app, ESCAPE);
  await expect(overlay).toHaveAttribute('data-state', 'idle', { timeout: 45_000 });
  // The microphone was closed: its level meter is back to zero.
  await expect(page.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
  const statuses = app.events('dictation', webContents) as DictationStatus[];
  expect(statuses.map((s) => s.state)).toEqual(['connecting', 'listening', 'idle']);
  expect(statuses.at(-1)).toMatchObject({ state: 'idle', finishing: 0, cancelled: true });
  // Main closed the session without a commit, and the service sends nothing after its idle
  // status: no transcript of the half sentence came, and the history holds nothing of it.
  const finals = app.events('transcript').filter((e) => {
    const type = (e as TranscriptEvent).type;
    return type === 'completed' || type === 'failed';
  });
  expect(finals).toEqual([]);
  expect(historyCount(app.userData)).toBe(0);
});

test('with the microphone kept warm, the audio from just before the start command is sent', async () => {
  const speech = speakSentences([SENTENCE], 300, 1500);
  const userData = newUserData();
  writeSettings(userData, (s) => {
    s.handsFree.keepMicrophoneWarm = true;
    s.handsFree.sounds = false;
  });
  app = await launchStandInApp({ userData, audioFile: speech.path, env: NO_KEY_HOOK });
  const { page, webContents } = await overlayOf(app);
  await expect(page.getByTestId('overlay')).toBeVisible();

  // The warm microphone plays the file's silence, then the sentence: the key goes down as soon
  // as the level meter shows its first word, so that word began before `start`.
  await page.waitForFunction(
    () => {
      // The page's DOM (this file's tsconfig knows only Node's lib).
      type Doc = { querySelector(s: string): { getAttribute(n: string): string | null } | null };
      const meter = (globalThis as unknown as { document: Doc }).document.querySelector(
        '[role=meter]',
      );
      return Number(meter?.getAttribute('aria-valuenow')) > 0;
    },
    undefined,
    { polling: 10, timeout: 15_000 },
  );
  await press(app);
  const received = () => app!.frames().map((f) => f.pcm);
  const spokenFrames = Math.ceil((speech.spans[0]!.endMs - speech.spans[0]!.startMs + 500) / 40);
  await expect.poll(() => received().length, { timeout: 30_000 }).toBeGreaterThan(spokenFrames);
  await press(app);
  const idle = () =>
    app!.events('dictation', webContents).some((e) => (e as DictationStatus).state === 'idle');
  await expect.poll(idle, { timeout: 45_000 }).toBe(true);

  // What turned the meter on (above -60 dBFS) came after some silence main was sent too: the
  // pre-roll. Without it the dictation would begin inside the first word.
  const loud = (pcm: Int16Array) => pcm.some((s) => Math.abs(s) > 33);
  const silentFrames = received().findIndex(loud);
  expect(silentFrames, 'frames of silence before the first word').toBeGreaterThanOrEqual(1);
  const text = app
    .events('transcript', webContents)
    .map((e) => e as TranscriptEvent)
    .flatMap((e) => (e.type === 'completed' ? [e.transcript] : []))
    .join(' ');
  expect(wordErrorRate(SENTENCE, text), `heard “${text}”`).toBeLessThanOrEqual(0.2);
});

test('a key down right after a key up: both dictations transcribed, each with only its own audio, on one microphone that closes once idle', async () => {
  const SECOND = 'The weather is nice today.';
  const PAUSE_MS = 2500;
  const speech = speakSentences([SENTENCE, SECOND], PAUSE_MS, 300);
  app = await launchStandInApp({
    audioFile: speech.path,
    env: NO_KEY_HOOK,
    initScripts: [join(import.meta.dirname, 'note-microphone.js')],
  });
  const { page, webContents } = await overlayOf(app);
  /** Each frame main received: its dictation, its number, whether it holds speech (and then
   * its samples). */
  const frames = (): Frame[] =>
    app!.frames().map(({ dictationId, seq, pcm }) => {
      const loud = pcm.some((s) => Math.abs(s) > 33); // above -60 dBFS: the file's silence is 0
      return { dictationId, seq, loud, pcm: loud ? pcm.join() : '' };
    });
  const overlay = page.getByTestId('overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay, 'closed while idle').toHaveAttribute('data-microphone', 'closed');

  await press(app);
  await expect(overlay).toHaveAttribute('data-state', 'listening');
  // Key up halfway through the pause between the sentences, and down again at once.
  const [first, second] = speech.spans as [Span, Span];
  const cutMs = first.endMs + PAUSE_MS / 2;
  await expect
    .poll(() => app!.frames().length, { timeout: 30_000, intervals: [20] })
    .toBeGreaterThan(cutMs / 40);
  // Toggle mode: the key up is a press, the key down the next; both reach main at once.
  await Promise.all([press(app), press(app)]);
  const firstId = frames()[0]!.dictationId;
  const ofSecond = () => frames().filter((f) => f.dictationId !== firstId);
  // Its sentence, and half a second more.
  const secondFrames = Math.ceil((second.endMs - cutMs + 500) / 40);
  await expect.poll(() => ofSecond().length, { timeout: 30_000 }).toBeGreaterThan(secondFrames);
  await press(app);

  const idle = () =>
    app!
      .events('dictation', webContents)
      .some(
        (e) => (e as DictationStatus).state === 'idle' && (e as DictationStatus).finishing === 0,
      );
  await expect.poll(idle, { timeout: 45_000 }).toBe(true);
  await expect(overlay, 'closed once idle').toHaveAttribute('data-microphone', 'closed');
  const opened = await page.evaluate(() => (globalThis as unknown as Noted).__microphoneOpens);
  expect(opened, 'the microphone opened once for both dictations').toBe(1);

  // The fake microphone plays the file from its opening, so the frames are positions in the
  // file: with the key down in the same moment as the key up, the two dictations together are
  // the file's audio, nothing doubled or dropped at the cut. Frames of the first in the
  // second, or a second that began late (a microphone opened again), would move the second
  // sentence away from its place in the file. The fake microphone itself, on a loaded
  // machine, shifts it by up to ~175 ms with no cut at all (one dictation over both
  // sentences: +55 to +175 ms), hence the bound.
  const all = frames();
  const ofFirst = all.filter((f) => f.dictationId === firstId);
  expect(
    ofFirst.findLastIndex((f) => f.loud),
    'the cut falls in the pause',
  ).toBeLessThan(ofFirst.length - 5);
  const together = [...ofFirst, ...ofSecond()];
  const firstAt = together.findIndex((f) => f.loud) * 40;
  const secondAt = ofFirst.length * 40 + ofSecond().findIndex((f) => f.loud) * 40;
  expect(firstAt - first.startMs, 'the first sentence: ms from its place').toBeLessThan(120);
  expect(
    Math.abs(secondAt - firstAt - (second.startMs - first.startMs)),
    `the second sentence ${secondAt - firstAt} ms after the first, in the file ` +
      `${second.startMs - first.startMs} ms`,
  ).toBeLessThanOrEqual(JITTER_MS);
  // And no frame of the first came again in the second.
  const spoken = new Set(ofFirst.flatMap((f) => (f.loud ? [f.pcm] : [])));
  expect(ofSecond().filter((f) => f.loud && spoken.has(f.pcm))).toEqual([]);

  // Two dictations, each numbered from 0 with no frame missing, and each stop told main
  // exactly the frames its dictation sent.
  const ids = [...new Set(all.map((f) => f.dictationId))];
  expect(ids).toHaveLength(2);
  const perDictation = ids.map((id) => all.filter((f) => f.dictationId === id));
  for (const own of perDictation) expect(own.map((f) => f.seq)).toEqual(own.map((_, i) => i));
  expect(app.invokes(Channel.dictationStop, webContents).map((args) => args[0])).toEqual(
    perDictation.map((own) => own.length),
  );

  const heard = (id: number) =>
    app!
      .events('transcript', webContents)
      .map((e) => e as DictationTranscript)
      .flatMap((e) => (e.type === 'completed' && e.dictationId === id ? [e.transcript] : []))
      .join(' ');
  expect(wordErrorRate(SENTENCE, heard(ids[0]!)), `heard “${heard(ids[0]!)}”`).toBeLessThanOrEqual(
    0.2,
  );
  expect(wordErrorRate(SECOND, heard(ids[1]!)), `heard “${heard(ids[1]!)}”`).toBeLessThanOrEqual(
    0.2,
  );
});

type Span = { startMs: number; endMs: number };
type Frame = { dictationId: number; seq: number; loud: boolean; pcm: string };

/** How far the fake microphone moves audio from its place in the file, on a loaded machine. */
const JITTER_MS = 250;

interface Noted {
  __microphoneOpens: number;
}
