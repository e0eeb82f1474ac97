// The hands-free overlay page in Chromium: main's start / stop commands (sent here through the
// bridge, as main's HandsFreeController sends them) drive the microphone, the overlay shows the
// listening state, the level and the live text, and what was said is transcribed in full. A
// cancel (Esc) discards the dictation; a warm microphone sends the pre-roll from before `start`.
import { join } from 'node:path';
import type { TranscriptEvent } from '../../src/shared/events.ts';
import type { DictationStatus, DictationTranscript } from '../../src/shared/ipc.ts';
import { missingTools } from '../helpers/tools.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';

const skipReason = missingTools('Overlay e2e', [
  CHROMIUM,
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
]);
test.skip(skipReason !== undefined, skipReason);

test('the overlay listens on start, shows the live text, and the whole sentence is transcribed', async ({
  launchApp,
}) => {
  // Speech starts at once: a first word cut by a slow start would show in the transcript.
  const speech = speakSentences([SENTENCE], 300, 1500);
  const { page, bridge } = await launchApp({ audioFile: speech.path });
  const url = new URL(page.url());
  url.hash = 'overlay';
  await page.goto(url.href);
  await page.reload(); // a hash change alone does not load the page again
  await page.setViewportSize({ width: 360, height: 84 });
  const overlay = page.getByTestId('overlay');
  await expect(overlay, 'the #overlay page shows the overlay, not the app').toBeVisible();

  bridge.push({ name: 'command', payload: { action: 'start' } });
  await expect(overlay).toHaveAttribute('data-state', 'listening');
  await expect(page.getByTestId('overlay-state')).toHaveText('Listening…');
  await expect(page.getByRole('meter')).not.toHaveAttribute('aria-valuenow', '0');

  // Live text as main pushes it (the local server's partials are too brief to catch).
  bridge.push({
    name: 'transcript',
    payload: { type: 'partial', itemId: 'live', text: 'quick brown 狐狸 🦊' },
  });
  await expect(page.getByTestId('overlay-text')).toHaveText('quick brown 狐狸 🦊');
  await page.screenshot({ path: join(SCREENSHOTS, 'overlay-listening.png') });

  // Stop once the sentence has been captured (40 ms frames).
  const spokenFrames = Math.ceil((speech.spans[0]!.endMs + 500) / 40);
  await expect.poll(() => bridge.framesReceived, { timeout: 30_000 }).toBeGreaterThan(spokenFrames);
  bridge.push({ name: 'command', payload: { action: 'stop' } });
  const states = () =>
    bridge.events
      .filter((e) => e.name === 'dictation')
      .map((e) => (e.payload as DictationStatus).state);
  await expect.poll(states, { timeout: 45_000 }).toContain('idle');
  expect(states()).toEqual(['connecting', 'listening', 'finishing', 'idle']);
  await expect(overlay).toHaveAttribute('data-state', 'idle');

  const text = bridge.events
    .map((e) => e.payload as TranscriptEvent)
    .flatMap((e) => (e.type === 'completed' ? [e.transcript] : []))
    .join(' ');
  expect(wordErrorRate(SENTENCE, text), `heard “${text}”`).toBeLessThanOrEqual(0.2);
});

test('cancel closes the microphone, ends the dictation and discards its audio', async ({
  launchApp,
}) => {
  const speech = speakSentences([SENTENCE], 300, 1000);
  const { page, bridge, history } = await launchApp({ audioFile: speech.path });
  const url = new URL(page.url());
  url.hash = 'overlay';
  await page.goto(url.href);
  await page.reload();
  const overlay = page.getByTestId('overlay');
  await expect(overlay, 'the #overlay page shows the overlay, not the app').toBeVisible();

  bridge.push({ name: 'command', payload: { action: 'start' } });
  await expect(overlay).toHaveAttribute('data-state', 'listening');
  // Esc halfway through the sentence: a commit now would transcribe its first half (40 ms frames).
  const { startMs, endMs } = speech.spans[0]!;
  const halfway = Math.ceil((startMs + endMs) / 2 / 40);
  await expect.poll(() => bridge.framesReceived, { timeout: 30_000 }).toBeGreaterThan(halfway);
  bridge.push({ name: 'command', payload: { action: 'cancel' } });
  await expect(overlay).toHaveAttribute('data-state', 'idle', { timeout: 45_000 });
  // The microphone was closed: its level meter is back to zero.
  await expect(page.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
  const statuses = bridge.events
    .filter((e) => e.name === 'dictation')
    .map((e) => e.payload as DictationStatus);
  expect(statuses.map((s) => s.state)).toEqual(['connecting', 'listening', 'idle']);
  expect(statuses.at(-1)).toMatchObject({ state: 'idle', finishing: 0, cancelled: true });
  // Main closed the session without a commit, and the service sends nothing after its idle
  // status: no transcript of the half sentence came, and the history holds nothing of it.
  const finals = bridge.events.filter((e) => {
    const type = e.name === 'transcript' && (e.payload as TranscriptEvent).type;
    return type === 'completed' || type === 'failed';
  });
  expect(finals).toEqual([]);
  expect(history.count()).toBe(0);
});

test('with the microphone kept warm, the audio from just before the start command is sent', async ({
  launchApp,
}) => {
  const speech = speakSentences([SENTENCE], 300, 1500);
  const { page, bridge, services } = await launchApp({ audioFile: speech.path });
  const received: Int16Array[] = [];
  const pushFrame = services.pushFrame;
  services.pushFrame = (seq, pcm, dictationId) => {
    received.push(pcm);
    pushFrame(seq, pcm, dictationId);
  };
  const { settings } = await services.getSettings();
  settings.handsFree.keepMicrophoneWarm = true;
  settings.handsFree.sounds = false;
  expect(await services.saveSettings(settings)).toMatchObject({ ok: true });
  const url = new URL(page.url());
  url.hash = 'overlay';
  await page.goto(url.href);
  await page.reload();
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
  bridge.push({ name: 'command', payload: { action: 'start' } });
  const spokenFrames = Math.ceil((speech.spans[0]!.endMs - speech.spans[0]!.startMs + 500) / 40);
  await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThan(spokenFrames);
  bridge.push({ name: 'command', payload: { action: 'stop' } });
  const idle = () =>
    bridge.events.some(
      (e) => e.name === 'dictation' && (e.payload as DictationStatus).state === 'idle',
    );
  await expect.poll(idle, { timeout: 45_000 }).toBe(true);

  // What turned the meter on (above -60 dBFS) came after some silence main was sent too: the
  // pre-roll. Without it the dictation would begin inside the first word.
  const loud = (pcm: Int16Array) => pcm.some((s) => Math.abs(s) > 33);
  const silentFrames = received.findIndex(loud);
  expect(silentFrames, 'frames of silence before the first word').toBeGreaterThanOrEqual(1);
  const text = bridge.events
    .map((e) => e.payload as TranscriptEvent)
    .flatMap((e) => (e.type === 'completed' ? [e.transcript] : []))
    .join(' ');
  expect(wordErrorRate(SENTENCE, text), `heard “${text}”`).toBeLessThanOrEqual(0.2);
});

test('a key down right after a key up: both dictations transcribed, each with only its own audio, on one microphone that closes once idle', async ({
  launchApp,
}) => {
  const SECOND = 'The weather is nice today.';
  const PAUSE_MS = 2500;
  const speech = speakSentences([SENTENCE, SECOND], PAUSE_MS, 300);
  const { page, bridge, services } = await launchApp({ audioFile: speech.path });
  /** Each frame main received: its dictation, its number, whether it holds speech (and then
   * its samples). */
  const frames: Frame[] = [];
  const pushFrame = services.pushFrame;
  services.pushFrame = (seq, pcm, dictationId) => {
    const loud = pcm.some((s) => Math.abs(s) > 33); // above -60 dBFS: the file's silence is 0
    frames.push({ dictationId: dictationId ?? -1, seq, loud, pcm: loud ? pcm.join() : '' });
    pushFrame(seq, pcm, dictationId);
  };
  const { settings } = await services.getSettings();
  settings.handsFree.sounds = false;
  expect(await services.saveSettings(settings)).toMatchObject({ ok: true });
  await page.addInitScript(noteMicrophone);
  const url = new URL(page.url());
  url.hash = 'overlay';
  await page.goto(url.href);
  await page.reload();
  const overlay = page.getByTestId('overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay, 'closed while idle').toHaveAttribute('data-microphone', 'closed');

  bridge.push({ name: 'command', payload: { action: 'start' } });
  await expect(overlay).toHaveAttribute('data-state', 'listening');
  // Key up halfway through the pause between the sentences, and down again at once.
  const [first, second] = speech.spans as [Span, Span];
  const cutMs = first.endMs + PAUSE_MS / 2;
  await expect
    .poll(() => frames.length, { timeout: 30_000, intervals: [20] })
    .toBeGreaterThan(cutMs / 40);
  bridge.push(
    { name: 'command', payload: { action: 'stop' } },
    { name: 'command', payload: { action: 'start' } },
  );
  const firstId = frames[0]!.dictationId;
  const ofSecond = () => frames.filter((f) => f.dictationId !== firstId);
  // Its sentence, and half a second more.
  const secondFrames = Math.ceil((second.endMs - cutMs + 500) / 40);
  await expect.poll(() => ofSecond().length, { timeout: 30_000 }).toBeGreaterThan(secondFrames);
  bridge.push({ name: 'command', payload: { action: 'stop' } });

  const idle = () =>
    bridge.events.some(
      (e) =>
        e.name === 'dictation' &&
        (e.payload as DictationStatus).state === 'idle' &&
        (e.payload as DictationStatus).finishing === 0,
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
  const ofFirst = frames.filter((f) => f.dictationId === firstId);
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
  const ids = [...new Set(frames.map((f) => f.dictationId))];
  expect(ids).toHaveLength(2);
  const perDictation = ids.map((id) => frames.filter((f) => f.dictationId === id));
  for (const own of perDictation) expect(own.map((f) => f.seq)).toEqual(own.map((_, i) => i));
  expect(bridge.framesSentAtStop).toEqual(perDictation.map((own) => own.length));

  const heard = (id: number) =>
    bridge.events
      .map((e) => e.payload as DictationTranscript)
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

/** Runs in the page before the app: counts the times the microphone is opened. */
function noteMicrophone(): void {
  const w = globalThis as unknown as Noted & {
    navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<unknown> } };
  };
  w.__microphoneOpens = 0;
  const devices = w.navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => {
    w.__microphoneOpens++;
    return getUserMedia(constraints);
  };
}
