// The composition root: creates the services once, connects them to Electron (IPC, window,
// tray, global shortcut, keychain, settings file) and tears them down on quit. Logic lives in
// src/core; this file is wiring.
import { Notification, app, clipboard, dialog, globalShortcut, type BrowserWindow } from 'electron';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDesktopServices } from '../core/dictation/desktop-services.ts';
import { createHistoryService } from '../core/dictation/history-service.ts';
import { DEFAULT_AUDIO_RETENTION, EXPORT_FILE_TYPES, HistoryStore } from '../core/history/index.ts';
import { trayStateOf, type TrayState } from '../core/dictation/hands-free-tray.ts';
import { parseAccelerator } from '../core/hotkey/index.ts';
import { createLogger } from '../core/log.ts';
import { createModelsService } from '../core/models/models-service.ts';
import { modelsDir } from '../core/models/paths.ts';
import { createSystemInserter } from '../core/output/index.ts';
import { RealtimeSession } from '../core/realtime/index.ts';
import { startLocalServer } from '../server/index.ts';
import type { DictationStatus, MainEventMessage, MainEvents } from '../shared/ipc.ts';
import type { Settings } from '../shared/settings.ts';
import { createElectronClipboard } from './electron-clipboard.ts';
import { APP_USER_MODEL_ID } from './app-id.ts';
import { registerIpc, sendEvent, type RegisteredIpc } from './ipc-handlers.ts';
import { safeStorageCipher } from './secret-cipher.ts';
import { openSettingsFile } from './settings-file.ts';
import { startHandsFree, type HandsFree } from './hands-free.ts';
import { createOverlayWindow, showOverlay } from './overlay-window.ts';
import { createTray, type AppTray } from './tray.ts';
import { resolveTrayLocale, trayLabels } from './tray-labels.ts';
import { trustedOrigin } from './trusted-origin.ts';
import { builtPaths, createMainWindow, hardenSession } from './window.ts';

const log = createLogger((line) => console.error(line), app.isPackaged ? 'info' : 'debug');
// The data folder (settings, history) is named after the app, and the CLI looks for it there.
app.setName('Tingxie');
// Windows shows a notification only for an app whose model id matches its Start-menu
// shortcut's, which the installer gives electron-builder's appId.
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A failure anywhere in main() ends the start: said where a person sees it, then exit 1,
  // rather than a window-less app left half-started.
  app
    .whenReady()
    .then(main)
    .catch((err: unknown) => {
      log.error(`Tingxie could not start: ${(err as Error).stack ?? String(err)}`);
      dialog.showErrorBox(
        'Tingxie could not start',
        `${(err as Error).message ?? String(err)}\n\nThe details are in the log (run Tingxie from a terminal to see it).`,
      );
      app.exit(1);
    });
}

async function main(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const paths = builtPaths(here);
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const origin = trustedOrigin(devUrl ?? pathToFileURL(paths.renderer).href);
  const resources = join(app.getAppPath(), 'resources');
  hardenSession(origin, devUrl !== undefined);

  let win: BrowserWindow | null = null;
  // The overlay owns the microphone for hands-free dictation (the hotkey must not focus us).
  let overlay: BrowserWindow | null = null;
  /** Our windows' webContents ids, noted at creation: once a window is closed, reading its
   * webContents throws ("Object has been destroyed"), so nothing here reads it then. */
  const ourContents = new Set<number>();
  /** Notes `w` as ours; `forget` runs when it is closed, to drop every reference to it. */
  const track = (w: BrowserWindow, forget: () => void): void => {
    const id = w.webContents.id;
    ourContents.add(id);
    w.once('closed', () => {
      ourContents.delete(id);
      forget();
    });
  };
  // Set once the IPC handlers exist; a dictation ending before then has no port to close.
  let ipc: RegisteredIpc | undefined = undefined;
  let tray: AppTray | undefined;
  let handsFree: HandsFree | undefined;
  let trayState: TrayState = 'idle';
  let quitting = false;
  let toldStillRunning = false;
  app.on('before-quit', () => (quitting = true));
  /** The overlay's page has loaded and listens: a message sent before then would be lost
   * (a hotkey pressed just after Tingxie starts), so messages wait for it, in order. */
  let overlayLoaded: Promise<unknown> = new Promise(() => {});
  const toOverlay = (message: MainEventMessage) =>
    void overlayLoaded.then(() => {
      if (overlay && !overlay.isDestroyed()) sendEvent(overlay.webContents, message);
    });
  const toWindows = (message: MainEventMessage) => {
    if (win && !win.isDestroyed()) sendEvent(win.webContents, message);
    toOverlay(message);
  };
  const file = openSettingsFile();
  // The store keeps whatever audio it is given: the desktop services pass the turns that
  // Settings → History says to keep.
  const history = HistoryStore.open(app.getPath('userData'), {
    log,
    audio: { keep: 'all', days: DEFAULT_AUDIO_RETENTION.days },
  });
  if (history.notice) log.warn(history.notice);
  const services = createDesktopServices({
    settingsBackend: file.settings,
    apiKeyBackend: file.apiKey,
    cleanUpKeyBackend: file.cleanUpKey,
    cipher: safeStorageCipher,
    createSession: (config) => new RealtimeSession({ config, log }),
    // One attempt: a test that retries for a minute would not say what is wrong.
    createTestSession: (config) =>
      new RealtimeSession({ config, log, reconnect: { maxAttempts: 0 }, connectTimeoutMs: 10_000 }),
    startLocalServer: () => startLocalServer({ log, ...localEngine() }),
    sink: (message) => {
      toWindows(message);
      handsFree?.handleEvent(message);
      if (message.name === 'dictation') {
        const status = message.payload as DictationStatus;
        trayState = trayStateOf(status);
        updateTray();
        if (status.dictation.state === 'idle') ipc?.releaseAudioPort(status.dictation.id);
      }
    },
    log,
    history,
    onSettingsSaved: (saved) => {
      handsFree?.apply(saved);
      updateTray();
      historyService.applyRetention();
    },
    appInfo: () => ({
      version: app.getVersion(),
      platform: process.platform,
      shortcut: shortcutText(services.settings.current.shortcut),
      ...(handsFree ? { handsFree: handsFree.info } : {}),
    }),
  });

  const models = createModelsService({
    modelsDir: modelsDir(app.getPath('userData')),
    choice: () => {
      const { localModels, server } = services.settings.current;
      const locale = server.language !== 'auto' ? server.language : app.getLocale();
      const { model, mirror, livePartials } = localModels;
      return { model, mirror, locale, livePartials };
    },
    onDownload: (status) => toWindows({ name: 'modelDownload', payload: status }),
    onInstalledChange: () => services.restartLocalServer(),
    log,
  });
  /** The local server's recognizer: the chosen neural model, or the best installed one; with
   * none installed, the server picks one that needs no download. */
  function localEngine(): { engine?: string; engineOptions?: Record<string, unknown> } {
    const { localModels, server } = services.settings.current;
    let neural;
    try {
      neural = models.engine();
    } catch (err) {
      throw new Error(
        `The local model “${localModels.model}” cannot be used (${(err as Error).message.split('. ')[0]}). Download it again in Settings → Local models, or choose another.`,
        { cause: err },
      );
    }
    if (!neural) return {};
    const language = server.language !== 'auto' ? { language: server.language } : {};
    return { engine: neural.engine, engineOptions: { ...neural.engineOptions, ...language } };
  }

  /** Asks for a model archive downloaded by hand; undefined when the person cancels. */
  async function chooseModelImport(): Promise<string | undefined> {
    if (!win || win.isDestroyed()) return undefined;
    const chosen = await dialog.showOpenDialog(win, {
      properties: ['openFile'],
      filters: [{ name: 'tar.bz2, tar.gz, tar', extensions: ['bz2', 'tbz2', 'gz', 'tgz', 'tar'] }],
    });
    return chosen.canceled ? undefined : chosen.filePaths[0];
  }

  /** Shows the window, creating it if needed; resolves once its page can take commands. */
  const showWindow = async (): Promise<BrowserWindow> => {
    if (!win || win.isDestroyed()) {
      const created = createMainWindow({
        origin,
        preload: paths.preload,
        icon: join(resources, 'icon.png'),
      });
      win = created;
      track(created, () => {
        if (win === created) win = null;
        // Without a tray icon nothing would be left to bring the window back (macOS: the Dock).
        if (!tray && process.platform !== 'darwin') app.quit();
        else if (tray && !quitting && !toldStillRunning) {
          // A closed window that leaves the app running surprises people once; say it once.
          toldStillRunning = true;
          const { ui } = services.settings.current;
          const body = trayLabels(resolveTrayLocale(ui.locale, app.getLocale())).stillRunning;
          if (Notification.isSupported()) new Notification({ title: 'Tingxie', body }).show();
        }
      });
      // The window shows itself on ready-to-show, once the page has painted (and listens).
      await once(created, 'ready-to-show');
      return created;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  };
  const navigate = (view: MainEvents['navigate']['view']) =>
    void showWindow().then((w) =>
      sendEvent(w.webContents, { name: 'navigate', payload: { view } }),
    );
  /** Saves one hands-free setting changed from the tray. */
  const saveHandsFree = (change: Partial<Settings['handsFree']>) => {
    const current = services.settings.current;
    void services.saveSettings({ ...current, handsFree: { ...current.handsFree, ...change } });
  };

  let inserter: ReturnType<typeof createSystemInserter> | undefined;
  const historyService = createHistoryService({
    store: history,
    sessionConfig: () => services.sessionConfig(),
    finalText: (raw) => services.finalText(raw),
    async chooseExportPath(format) {
      const type = EXPORT_FILE_TYPES[format];
      const options = {
        defaultPath: join(app.getPath('documents'), `tingxie-history.${type.extension}`),
        filters: [{ name: format.toUpperCase(), extensions: [type.extension] }],
      };
      const chosen = win ? await dialog.showSaveDialog(win, options) : undefined;
      return chosen && !chosen.canceled ? chosen.filePath : undefined;
    },
    copyText: (text) => clipboard.writeText(text),
    async insertText(text) {
      // The text goes to the window the person came from: ours steps aside first.
      if (win && !win.isDestroyed() && win.isFocused()) {
        const blurred = once(win, 'blur');
        win.minimize();
        await Promise.race([blurred, new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
      inserter ??= createSystemInserter({ log, clipboard: createElectronClipboard() });
      const { output, trailingSpace, leaveOnClipboard } = services.settings.current.handsFree;
      const result = await inserter.insert(text, { mode: output, trailingSpace, leaveOnClipboard });
      return { ok: result.ok, ...(result.notice ? { notice: result.notice } : {}) };
    },
    sink: (message) => {
      if (win && !win.isDestroyed()) sendEvent(win.webContents, message);
    },
    log,
    limits: () => {
      const { keepDays, maxCount, keepAudio } = services.settings.current.history;
      return { days: keepDays || null, maxCount: maxCount || null, keepAudio };
    },
  });
  historyService.applyRetention();
  const retentionTimer = setInterval(() => historyService.applyRetention(), 86_400_000);
  retentionTimer.unref();

  ipc = registerIpc(
    { services, history: historyService, models, chooseModelImport },
    origin,
    (id) => ourContents.has(id),
    log,
  );
  // macOS tints a black "template" image to match the menu bar; the states are in colour.
  const idleIcon = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  // Closing the window leaves Tingxie in the tray, hands-free ready. Where no tray icon can be
  // shown, closing the window quits (see showWindow).
  try {
    tray = createTray(
      {
        idle: join(resources, idleIcon),
        listening: join(resources, 'tray-listening.png'),
        transcribing: join(resources, 'tray-transcribing.png'),
        error: join(resources, 'tray-error.png'),
      },
      {
        toggleDictation: () => {
          // Stop means stop, also for a dictation started in the window; while earlier ones
          // are only transcribing, Start starts the next beside them.
          if (handsFree?.controller.state !== 'listening' && trayState === 'listening')
            toWindows({ name: 'command', payload: { action: 'stop' } });
          else handsFree?.controller.press();
        },
        setMode: (mode) => saveHandsFree({ mode }),
        setOutput: (output) => saveHandsFree({ output }),
        copy: (text) => void clipboard.writeText(text),
        openHistory: () => navigate('history'),
        openSettings: () => navigate('settings'),
        showWindow: () => void showWindow(),
        quit: () => app.quit(),
      },
    );
  } catch (err) {
    log.warn(`No tray icon (${(err as Error).message}): closing the window quits Tingxie.`);
  }
  function updateTray(): void {
    const { handsFree: options, ui } = services.settings.current;
    tray?.update({
      state: trayState,
      mode: options.mode,
      output: options.output,
      recent: handsFree?.controller.recent ?? [],
      locale: resolveTrayLocale(ui.locale, app.getLocale()),
    });
  }
  updateTray();

  const createdOverlay = createOverlayWindow({ origin, preload: paths.preload });
  overlay = createdOverlay;
  overlayLoaded = once(createdOverlay.webContents, 'did-finish-load');
  track(createdOverlay, () => {
    if (overlay === createdOverlay) overlay = null;
  });
  startHandsFree({
    settings: () => services.settings.current,
    toOverlay,
    broadcast: toWindows,
    onState: (state) => {
      if (overlay && state !== 'idle' && services.settings.current.handsFree.overlay)
        showOverlay(overlay);
      else if (state === 'idle') overlay?.hide();
      updateTray();
    },
    recent: () =>
      history
        .list({ limit: 5 })
        .filter((e) => e.status === 'ok')
        .map((e) => e.text),
    log,
  }).then(
    (started) => (handsFree = started),
    (err: unknown) => log.error(`Hands-free dictation could not start: ${(err as Error).message}`),
  );

  app.on('second-instance', () => void showWindow());
  app.on('activate', () => void showWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    globalShortcut.unregisterAll();
    handsFree?.dispose();
    if (overlay && !overlay.isDestroyed()) overlay.destroy();
    ipc?.dispose();
    clearInterval(retentionTimer);
    historyService.dispose();
    models.dispose();
    tray?.destroy();
    services
      .dispose()
      .finally(() => history.close())
      .finally(() => app.quit());
  });

  await showWindow();
}

/** A hotkey as a person reads it (Ctrl+Shift+Space, not Electron's CommandOrControl+…). */
function shortcutText(shortcut: string): string {
  const parsed = parseAccelerator(shortcut);
  return parsed.ok ? parsed.accelerator.text : shortcut;
}
