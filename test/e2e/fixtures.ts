// Playwright fixtures: the built renderer served over HTTP, the real local realtime server
// (pocketsphinx), fresh main-side services per test, and Debian's Chromium with a fake
// microphone playing a WAV file.
import { test as base, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDesktopServices,
  type DesktopServices,
} from '../../src/core/dictation/desktop-services.ts';
import {
  createHistoryService,
  type HistoryService,
} from '../../src/core/dictation/history-service.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { SecretCipher } from '../../src/core/settings/api-key-store.ts';
import { HistoryStore } from '../../src/core/history/index.ts';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { connectBridge, type Bridge } from './bridge.ts';
import { serveDirectory, type StaticServer } from './static-server.ts';

export { CHROMIUM } from '../helpers/chromium.ts';
export const RENDERER_DIR = join(import.meta.dirname, '../../out/renderer');
export const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots');

/** The OS keychain stand-in: reversible, and never the plain text. */
const testCipher: SecretCipher = {
  available: async () => true,
  encrypt: async (plain) => Buffer.from(plain).reverse(),
  decrypt: async (cipher) => ({
    result: Buffer.from(cipher).reverse().toString(),
    shouldReEncrypt: false,
  }),
};

export interface App {
  page: Page;
  bridge: Bridge;
  services: DesktopServices;
  /** Settings as main stored them. */
  stored: { settings?: unknown; apiKeyCipher?: string };
  /** The history store behind the window, in the test's output folder. */
  history: HistoryStore;
  /** What the History view copied and inserted again, in order. */
  copied: string[];
  inserted: string[];
}

interface WorkerFixtures {
  renderer: StaticServer;
  localServer: LocalServer;
}

interface TestFixtures {
  /** Opens the app in a Chromium launched with these options. */
  launchApp: (options?: {
    audioFile?: string;
    grantMicrophone?: boolean;
    locale?: string;
    colorScheme?: 'light' | 'dark';
    /** A script file run in the page before the app's own scripts. */
    initScript?: string;
    /** What the save dialog answers for an export (default: the person cancels). */
    exportPath?: string;
  }) => Promise<App>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  renderer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await serveDirectory(RENDERER_DIR);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  localServer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startLocalServer({ engine: 'pocketsphinx' });
      await use(server);
      await server.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  launchApp: async ({ renderer, localServer }, use, testInfo) => {
    const browsers: Browser[] = [];
    const disposers: (() => Promise<void>)[] = [];
    mkdirSync(SCREENSHOTS, { recursive: true });
    await use(async (options = {}) => {
      const browser = await launchChromium(options, { ignoreDefaultArgs: ['--mute-audio'] });
      browsers.push(browser);
      const context = await browser.newContext({
        locale: options.locale ?? 'en-US',
        colorScheme: options.colorScheme ?? 'light',
        viewport: { width: 980, height: 720 },
      });
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error')
          testInfo.annotations.push({ type: 'console', description: m.text() });
      });
      const stored: App['stored'] = {};
      const history = HistoryStore.open(testInfo.outputPath('history'), { log: silentLogger });
      disposers.push(async () => history.close());
      const bridge = await connectBridge(
        page,
        renderer.origin,
        () => services,
        () => historyService,
      );
      const services = createDesktopServices({
        settingsBackend: { read: () => stored.settings, write: (s) => (stored.settings = s) },
        apiKeyBackend: { read: () => stored.apiKeyCipher, write: (v) => (stored.apiKeyCipher = v) },
        cipher: testCipher,
        createSession: (config) => new RealtimeSession({ config, log: silentLogger }),
        createTestSession: (config) =>
          new RealtimeSession({ config, reconnect: { maxAttempts: 0 }, connectTimeoutMs: 10_000 }),
        // The worker's server, shared by the tests; the fixture closes it.
        startLocalServer: async () => ({ url: localServer.url, close: async () => {} }),
        sink: (message) => bridge.push(message),
        log: silentLogger,
        history,
        appInfo: () => ({
          version: 'e2e',
          platform: process.platform,
          shortcut: 'Ctrl+Shift+Space',
        }),
        connectionTestTimeoutMs: 10_000,
        onSettingsSaved: () => historyService.applyRetention(),
      });
      disposers.push(() => services.dispose());
      const copied: string[] = [];
      const inserted: string[] = [];
      const historyService: HistoryService = createHistoryService({
        store: history,
        sessionConfig: () => services.sessionConfig(),
        chooseExportPath: async () => options.exportPath,
        copyText: (text) => void copied.push(text),
        insertText: async (text) => (inserted.push(text), { ok: true }),
        sink: (message) => bridge.push(message),
        log: silentLogger,
        limits: () => {
          const { keepDays, maxCount } = services.settings.current.history;
          return { days: keepDays || null, maxCount: maxCount || null };
        },
      });
      disposers.unshift(async () => historyService.dispose());
      if (options.initScript) await page.addInitScript({ path: options.initScript });
      await page.goto(`${renderer.origin}/index.html`);
      return { page, bridge, services, stored, history, copied, inserted };
    });
    for (const dispose of disposers) await dispose();
    for (const browser of browsers) await browser.close();
  },
});

export { expect } from '@playwright/test';
