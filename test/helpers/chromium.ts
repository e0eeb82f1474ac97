// Debian's Chromium as the e2e tests and the benches run it: headless, nothing phoning home,
// and a fake microphone (a tone by default, or a WAV file) that the page may use without a
// prompt.
import { chromium, type Browser } from '@playwright/test';

export const CHROMIUM = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** A WAV file for the fake microphone, played once and then silence unless `loopAudio`. */
  audioFile?: string;
  loopAudio?: boolean;
  /** False: the page is refused the microphone, as if the person had said no. */
  grantMicrophone?: boolean;
}

export function chromiumArgs(options: ChromiumOptions = {}): string[] {
  // %noloop: play the file once, then silence (a sentence is spoken exactly once).
  const audio = options.audioFile && `${options.audioFile}${options.loopAudio ? '' : '%noloop'}`;
  return [
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--no-sandbox',
    '--headless',
    '--use-fake-device-for-media-stream',
    ...(options.grantMicrophone === false ? [] : ['--use-fake-ui-for-media-stream']),
    ...(audio ? [`--use-file-for-fake-audio-capture=${audio}`] : []),
  ];
}

type LaunchOptions = NonNullable<Parameters<typeof chromium.launch>[0]>;

/** Launches Chromium with `chromiumArgs(options)`; `launch` adds Playwright's own options. */
export function launchChromium(
  options: ChromiumOptions = {},
  launch: Omit<LaunchOptions, 'executablePath' | 'args'> = {},
): Promise<Browser> {
  return chromium.launch({ ...launch, executablePath: CHROMIUM, args: chromiumArgs(options) });
}
