// The composition root: creates the services once, connects them to Electron (IPC, window,
// tray, global shortcut, keychain, settings file) and tears them down on quit. Logic lives in
// src/core; this file is wiring.
import { app, globalShortcut, type BrowserWindow } from 'electron';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDesktopServices } from '../core/dictation/desktop-services.ts';
import { HistoryStore } from '../core/history/index.ts';
import { createLogger } from '../core/log.ts';
import { RealtimeSession } from '../core/realtime/index.ts';
import { startLocalServer } from '../server/index.ts';
import { registerIpc, sendEvent } from './ipc-handlers.ts';
import { safeStorageCipher } from './secret-cipher.ts';
import { openSettingsFile } from './settings-file.ts';
import { createTray } from './tray.ts';
import { trustedOrigin } from './trusted-origin.ts';
import { builtPaths, createMainWindow, hardenSession } from './window.ts';

const log = createLogger((line) => console.error(line), app.isPackaged ? 'info' : 'debug');
// The data folder (settings, history) is named after the app, and the CLI looks for it there.
app.setName('Tingxie');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(main, (err: unknown) => {
    log.error(`Tingxie could not start: ${(err as Error).stack ?? String(err)}`);
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
  let shortcut = '';
  const registerShortcut = (accelerator: string) => {
    if (accelerator === shortcut) return;
    if (shortcut) globalShortcut.unregister(shortcut);
    shortcut = accelerator;
    try {
      if (!globalShortcut.register(accelerator, toggleDictation)) {
        log.warn(
          `The shortcut ${accelerator} is taken by another app; choose another in Settings.`,
        );
      }
    } catch {
      log.warn(
        `The shortcut ${accelerator} is not a valid accelerator; choose another in Settings.`,
      );
    }
  };
  const file = openSettingsFile();
  const history = HistoryStore.open(app.getPath('userData'), { log });
  if (history.notice) log.warn(history.notice);
  const services = createDesktopServices({
    settingsBackend: file.settings,
    apiKeyBackend: file.apiKey,
    cipher: safeStorageCipher,
    createSession: (config) => new RealtimeSession({ config, log }),
    // One attempt: a test that retries for a minute would not say what is wrong.
    createTestSession: (config) =>
      new RealtimeSession({ config, log, reconnect: { maxAttempts: 0 }, connectTimeoutMs: 10_000 }),
    startLocalServer: () => startLocalServer({ log }),
    sink: (message) => {
      if (win && !win.isDestroyed()) sendEvent(win.webContents, message);
    },
    log,
    history,
    onSettingsSaved: (saved) => registerShortcut(saved.shortcut),
    appInfo: () => ({
      version: app.getVersion(),
      platform: process.platform,
      shortcut: services.settings.current.shortcut,
    }),
  });

  /** Shows the window, creating it if needed; resolves once its page can take commands. */
  const showWindow = async (): Promise<BrowserWindow> => {
    if (!win || win.isDestroyed()) {
      const created = createMainWindow({
        origin,
        preload: paths.preload,
        icon: join(resources, 'icon.png'),
      });
      win = created;
      // The window shows itself on ready-to-show, once the page has painted (and listens).
      await once(created, 'ready-to-show');
      return created;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  };
  const toggleDictation = () =>
    void showWindow().then((w) =>
      sendEvent(w.webContents, { name: 'command', payload: { action: 'toggle' } }),
    );

  const unregisterIpc = registerIpc(services, origin, (id) => win?.webContents.id === id, log);
  // macOS tints a black "template" image to match the menu bar.
  const trayIcon = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  const tray = createTray(join(resources, trayIcon), {
    toggleDictation,
    showWindow: () => void showWindow(),
    quit: () => app.quit(),
  });
  registerShortcut(services.settings.current.shortcut);

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
    unregisterIpc();
    tray.destroy();
    services
      .dispose()
      .finally(() => history.close())
      .finally(() => app.quit());
  });

  await showWindow();
}
