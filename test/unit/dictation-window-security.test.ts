// The rules main applies to the window: which pages count as ours, and the CSP they get.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/main/content-security-policy.ts';
import { trustedOrigin } from '../../src/main/trusted-origin.ts';

describe('trustedOrigin', () => {
  it('trusts only the built renderer file', () => {
    const origin = trustedOrigin('file:///opt/Tingxie/resources/app.asar/out/renderer/index.html');
    expect(
      origin.isTrusted('file:///opt/Tingxie/resources/app.asar/out/renderer/index.html#/settings'),
    ).toBe(true);
    expect(origin.isTrusted('file:///etc/passwd')).toBe(false);
    expect(origin.isTrusted('file:///opt/Tingxie/resources/app.asar/out/renderer/other.html')).toBe(
      false,
    );
    expect(origin.isTrusted('https://example.com/')).toBe(false);
    expect(origin.isTrusted('not a url')).toBe(false);
  });

  it('trusts the dev server by origin', () => {
    const origin = trustedOrigin('http://localhost:5173/');
    expect(origin.isTrusted('http://localhost:5173/src/main.ts')).toBe(true);
    expect(origin.isTrusted('http://localhost:5174/')).toBe(false);
    expect(origin.isTrusted('http://evil.localhost:5173/')).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows nothing remote and nothing inline in the app', () => {
    const policy = contentSecurityPolicy();
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
    // Compiling WebAssembly (the capture worklet's filter) is the one thing allowed beyond
    // the app's own files: no eval() of strings, nothing inline.
    expect(policy.replace("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('relaxes only what the dev server needs', () => {
    const dev = contentSecurityPolicy(true);
    expect(dev).toContain("style-src 'self' 'unsafe-inline'");
    expect(dev).not.toContain("'unsafe-eval'");
  });
});
