// The renderer's Content-Security-Policy, in one place: main sends it as a header and the
// build writes it into index.html (electron.vite.config.ts), for file:// loads without headers.
// No remote content at all: the renderer never talks to the network (main owns the socket).
const PRODUCTION: Record<string, string> = {
  'default-src': "'none'",
  // 'wasm-unsafe-eval': the capture worklet compiles the resampler's filter (fir.wat), bytes
  // of the app's own; it allows no eval() of strings.
  'script-src': "'self' 'wasm-unsafe-eval'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'media-src': "'self' mediastream:",
  'connect-src': "'self'",
  // The capture AudioWorklet module is a file of the app.
  'worker-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
  'object-src': "'none'",
};

/** `dev`: electron-vite's dev server injects styles and talks to its HMR socket. */
export function contentSecurityPolicy(dev = false): string {
  const policy = dev
    ? {
        ...PRODUCTION,
        'script-src': "'self' 'wasm-unsafe-eval' 'unsafe-inline'",
        'style-src': "'self' 'unsafe-inline'",
        'connect-src': "'self' ws://localhost:* ws://127.0.0.1:*",
      }
    : PRODUCTION;
  return Object.entries(policy)
    .map(([directive, value]) => `${directive} ${value}`)
    .join('; ');
}
