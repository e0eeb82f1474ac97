// What counts as "our own page": the built renderer (file:// inside the app) or, in
// development, electron-vite's dev server. Every IPC message and permission request is
// checked against this before anything else happens.

export interface TrustedOrigin {
  /** The URL the main window loads. */
  readonly entry: string;
  isTrusted(url: string): boolean;
}

export function trustedOrigin(entry: string): TrustedOrigin {
  const parsed = new URL(entry);
  return {
    entry,
    isTrusted(url) {
      let candidate: URL;
      try {
        candidate = new URL(url);
      } catch {
        return false;
      }
      if (parsed.protocol === 'file:') {
        // Only the renderer's own file; anchors and queries are fine.
        return candidate.protocol === 'file:' && candidate.pathname === parsed.pathname;
      }
      return candidate.origin === parsed.origin;
    },
  };
}
