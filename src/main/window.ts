// The main window, locked down: sandboxed renderer with context isolation, no Node, no
// navigation away, no new windows, and only the microphone — only for our own page.
import { BrowserWindow, session, shell, type Session } from 'electron';
import { join } from 'node:path';
import { contentSecurityPolicy } from './content-security-policy.ts';
import { blockNavigation, lockedDownWebPreferences } from './locked-down-page.ts';
import type { TrustedOrigin } from './trusted-origin.ts';

export interface MainWindowOptions {
  origin: TrustedOrigin;
  preload: string;
  icon: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 980,
    height: 720,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Tingxie',
    icon: options.icon,
    autoHideMenuBar: true,
    webPreferences: lockedDownWebPreferences(options.preload),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to the web (a provider's docs) open in the browser, never in the app.
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  blockNavigation(win.webContents, (url) => options.origin.isTrusted(url));
  void win.loadURL(options.origin.entry);
  return win;
}

/** Session-wide rules: the CSP header, and permissions (microphone only, our page only). */
export function hardenSession(
  origin: TrustedOrigin,
  dev: boolean,
  target: Session = session.defaultSession,
): void {
  const csp = contentSecurityPolicy(dev);
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  target.setPermissionRequestHandler((contents, permission, callback, details) => {
    const media = details as { mediaTypes?: string[] };
    const audioOnly =
      permission === 'media' &&
      (media.mediaTypes ?? []).length > 0 &&
      (media.mediaTypes ?? []).every((t) => t === 'audio');
    callback(audioOnly && origin.isTrusted(details.requestingUrl || contents.getURL()));
  });
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    if (permission !== 'media') return false;
    if ((details as { mediaType?: string }).mediaType === 'video') return false;
    return origin.isTrusted(details.requestingUrl || requestingOrigin);
  });
}

/** Where electron-vite put the renderer and preload, relative to the built main script. */
export function builtPaths(mainDir: string): { renderer: string; preload: string } {
  return {
    renderer: join(mainDir, '../renderer/index.html'),
    preload: join(mainDir, '../preload/index.cjs'),
  };
}
