// The lock-down every Tingxie window shares, in one place so that the windows cannot drift
// apart: a sandboxed renderer with context isolation and no Node, and no navigation away
// from our own page.
import type { WebContents, WebPreferences } from 'electron';

/** The web preferences of every window; a window adds only what it needs on top. */
export function lockedDownWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    spellcheck: false,
  };
}

/** Stops every navigation and redirect to a URL that `allowed` refuses. */
export function blockNavigation(contents: WebContents, allowed: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!allowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!allowed(url)) event.preventDefault();
  });
}
