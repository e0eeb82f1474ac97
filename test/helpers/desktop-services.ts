// Main-side services as a unit test wires them: nothing stored, a plain-text "keychain", a
// local server that is never started, no window and no logs. A test passes its sessions and
// whatever else it checks.
import {
  createDesktopServices,
  type DesktopServices,
  type DesktopServicesOptions,
} from '../../src/core/dictation/desktop-services.ts';
import { silentLogger } from '../../src/core/log.ts';

export function testDesktopServices(
  options: Pick<DesktopServicesOptions, 'createSession'> & Partial<DesktopServicesOptions>,
): DesktopServices {
  return createDesktopServices({
    settingsBackend: { read: () => undefined, write: () => {} },
    apiKeyBackend: { read: () => undefined, write: () => {} },
    cipher: {
      available: async () => true,
      encrypt: async (s) => Buffer.from(s),
      decrypt: async (b) => ({ result: Buffer.from(b).toString(), shouldReEncrypt: false }),
    },
    createTestSession: options.createSession,
    startLocalServer: async () => ({ url: 'ws://127.0.0.1:9/v1/realtime', close: async () => {} }),
    sink: () => {},
    log: silentLogger,
    appInfo: () => ({ version: 't', platform: 'linux', shortcut: 'Ctrl+Space' }),
    ...options,
  });
}
