// Speech the server's VAD hears but the tone models do not: festival's voice (speech.ts) cut
// to the band between the tone detector's two tones (tone-detector.ts), so that Silero starts
// a turn on it and the test models decode it to nothing. A turn of it followed by the tones
// is a server-VAD turn whose text the test models know.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, downmix } from '../../src/core/audio/wav.ts';
import { floatToPcm16 } from '../../src/shared/audio/pcm.ts';
import { speak } from './speech.ts';
import { RATE } from './tone-turns.ts';

export { SPEECH_TOOLS } from './speech.ts';

/** `text` spoken, band-passed to 800–2000 Hz, at 16 kHz. */
export function midBandSpeech(text: string): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-mid-band-'));
  try {
    const out = join(dir, 'speech.wav');
    execFileSync('sox', [speak(text), '-b', '16', out, 'sinc', '800-2000', 'rate', String(RATE)]);
    return floatToPcm16(downmix(decodeWav(readFileSync(out))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
