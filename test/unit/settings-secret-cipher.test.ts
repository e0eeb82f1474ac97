// The API key's cipher in main: Electron's safeStorage through its asynchronous API only (the
// synchronous one is deprecated in Electron 45), and no keychain on Linux's `basic_text`.
import { afterEach, describe, expect, it, vi } from 'vitest';

const keychain = vi.hoisted(() => ({ backend: 'gnome_libsecret', available: true }));
const deprecated = () => {
  throw new Error('a deprecated synchronous safeStorage call');
};

vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: deprecated,
    encryptString: deprecated,
    decryptString: deprecated,
    getSelectedStorageBackend: () => keychain.backend,
    isAsyncEncryptionAvailable: async () => keychain.available,
    encryptStringAsync: async (plain: string) => Buffer.from(`sealed:${plain}`),
    decryptStringAsync: async (cipher: Buffer) => ({
      result: cipher.toString().replace(/^sealed:/, ''),
      shouldReEncrypt: true,
    }),
  },
}));

const { safeStorageCipher } = await import('../../src/main/secret-cipher.ts');
const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;

function runOn(os: NodeJS.Platform): void {
  Object.defineProperty(process, 'platform', { ...platform, value: os });
}

afterEach(() => {
  Object.defineProperty(process, 'platform', platform);
  keychain.backend = 'gnome_libsecret';
  keychain.available = true;
});

describe('safeStorageCipher', () => {
  it('encrypts and decrypts asynchronously, passing on shouldReEncrypt', async () => {
    const sealed = await safeStorageCipher.encrypt('sk-1');
    expect(Buffer.from(sealed).toString()).toBe('sealed:sk-1');
    expect(await safeStorageCipher.decrypt(new Uint8Array(sealed))).toEqual({
      result: 'sk-1',
      shouldReEncrypt: true,
    });
  });

  it('is available where safeStorage says so', async () => {
    runOn('linux');
    expect(await safeStorageCipher.available()).toBe(true);
    keychain.available = false;
    expect(await safeStorageCipher.available()).toBe(false);
  });

  it('is not available on Linux without a keychain (basic_text), whatever safeStorage says', async () => {
    keychain.backend = 'basic_text';
    runOn('linux');
    expect(await safeStorageCipher.available()).toBe(false);
    runOn('win32');
    expect(await safeStorageCipher.available()).toBe(true);
  });
});
