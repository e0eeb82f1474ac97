// The stand-in's renderer side: Debian's Chromium, one page per BrowserWindow, each page
// running the window's preload as Electron does (page/preload-world.js in an isolated world
// created by the DevTools protocol, the stand-in's IPC over a binding there) and the page's
// own world with nothing but what the preload exposed (page/main-world.js).
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { delimiter, join } from 'node:path';
import { pageScript } from './wire.ts';

export const PRELOAD_WORLD = 'electron-preload';
const CHROMIUM = process.env.ELECTRON_STANDIN_CHROMIUM ?? '/usr/bin/chromium';

/** The test's own scripts (ELECTRON_STANDIN_INIT_SCRIPTS, paths joined by the platform's
 * delimiter), run in every page's world before the page's own scripts, as Playwright's
 * addInitScript would if it could reach the page before it loads: instrumentation of the test,
 * nothing of Electron. */
const INIT_SCRIPTS = (process.env.ELECTRON_STANDIN_INIT_SCRIPTS ?? '')
  .split(delimiter)
  .filter(Boolean)
  .map((path) => readFileSync(path, 'utf8'));

const WIRE = pageScript('wire.js');
const PORTS = pageScript('ports.js');
const BRIDGE = pageScript('bridge.js');

/** Chromium's switches on the app's command line reach Chromium, as in Electron, which is
 * Chromium (e.g. --use-file-for-fake-audio-capture). */
function chromiumSwitches(argv: readonly string[]): string[] {
  const own = new Set(['--user-data-dir', '--inspect', '--inspect-brk']);
  return argv.filter((a) => a.startsWith('--') && !own.has(a.split('=')[0]!));
}

export interface PageWiring {
  /** A message from the page's preload world (the binding), with the context it came from. */
  onMessage(message: Record<string, unknown>, contextId: number): void;
  /** A JavaScript context of the page went away (navigation, reload, close). */
  onContextGone(contextId: number): void;
  onLoad(url: string): void;
}

export interface HostedPage {
  page: Page;
  cdp: CDPSession;
  /** Runs `__electronStandinDeliver(message)` in the preload world of `contextId`. */
  deliver(contextId: number, message: unknown): void;
}

export class ChromiumHost {
  private context: BrowserContext | undefined;
  cdpPort = 0;

  /** `acceptLanguages`: every page's navigator.languages, which Electron sets per
   * webContents from the app locale (electron_api_web_contents.cc); Chromium takes them as
   * --accept-lang (its own resources may lack the locale: Debian ships en-US alone). */
  async start(
    profile: string,
    argv: readonly string[],
    acceptLanguages: readonly string[],
  ): Promise<void> {
    mkdirSync(profile, { recursive: true });
    this.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: null,
      ignoreDefaultArgs: ['--mute-audio'],
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        // Electron serves a file:// page's own modules and worklets to it (its file: loader
        // allows them, shell/browser/net/asar/asar_url_loader.cc); Chromium, only with this.
        '--allow-file-access-from-files',
        '--remote-debugging-port=0',
        `--accept-lang=${acceptLanguages.join(',')}`,
        ...chromiumSwitches(argv),
      ],
    });
    for (const blank of this.context.pages()) await blank.close();
    const portFile = join(profile, 'DevToolsActivePort');
    for (let i = 0; i < 100 && !existsSync(portFile); i++) await sleep(50);
    this.cdpPort = Number(readFileSync(portFile, 'utf8').split('\n')[0]);
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => {});
    this.context = undefined;
  }

  /** A new page with `preload` (the file's code) run in every document it loads. */
  async open(
    preload: { path: string; code: string } | undefined,
    size: { width: number; height: number },
    wiring: PageWiring,
  ): Promise<HostedPage> {
    if (!this.context) throw new Error('Electron stand-in: a window was created before ready.');
    const page = await this.context.newPage();
    await page.setViewportSize(size);
    const cdp = await this.context.newCDPSession(page);
    cdp.on('Runtime.bindingCalled', (event) => {
      if (event.name !== '__electronStandinIpc') return;
      wiring.onMessage(
        JSON.parse(event.payload) as Record<string, unknown>,
        event.executionContextId,
      );
    });
    cdp.on('Runtime.executionContextDestroyed', (event) =>
      wiring.onContextGone(event.executionContextId),
    );
    cdp.on('Runtime.executionContextsCleared', () => wiring.onContextGone(-1));
    page.on('load', () => wiring.onLoad(page.url()));
    // ELECTRON_ENABLE_LOGGING: Electron prints the renderers' console to stderr.
    if (process.env.ELECTRON_ENABLE_LOGGING) {
      page.on('console', (m) => console.error(`[renderer ${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => console.error(`[renderer error] ${e.stack ?? e.message}`));
    }
    await cdp.send('Runtime.enable');
    await cdp.send('Page.enable');
    // Every worklet of the page (the capture AudioWorklet) gets the port envelope before its
    // code runs: it waits for the debugger until then.
    cdp.on('Target.attachedToTarget', (event) => {
      const run = (id: number, method: string, params: object = {}) =>
        cdp
          .send('Target.sendMessageToTarget', {
            sessionId: event.sessionId,
            message: JSON.stringify({ id, method, params }),
          })
          .catch(() => {});
      void (async () => {
        if (event.targetInfo.type === 'worklet' || event.targetInfo.type === 'worker') {
          await run(1, 'Runtime.evaluate', { expression: `${PORTS}\ninstallPortEnvelope();` });
        }
        await run(2, 'Runtime.runIfWaitingForDebugger');
      })();
    });
    await cdp.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: false,
    });
    // The page's world first: it listens before the preload exposes anything.
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
      source: [WIRE, PORTS, BRIDGE, pageScript('main-world.js')].join('\n'),
    });
    for (const source of INIT_SCRIPTS)
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source });
    if (preload) {
      await cdp.send('Runtime.addBinding', {
        name: '__electronStandinIpc',
        executionContextName: PRELOAD_WORLD,
      });
      const info = { platform: process.platform, arch: process.arch, versions: process.versions };
      await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
        worldName: PRELOAD_WORLD,
        source: [
          WIRE,
          PORTS,
          BRIDGE,
          pageScript('preload-world.js'),
          `electronStandinPreload(function (require, process, exports, module, Buffer, global, setImmediate, clearImmediate) {\n${preload.code}\n}, ${JSON.stringify(preload.path)}, ${JSON.stringify(info)});`,
        ].join('\n'),
      });
    }
    return {
      page,
      cdp,
      deliver(contextId, message) {
        cdp
          .send('Runtime.evaluate', {
            contextId,
            expression: `__electronStandinDeliver(${JSON.stringify(JSON.stringify(message))})`,
          })
          .catch(() => {}); // the document is gone: Electron drops it too
      },
    };
  }
}
