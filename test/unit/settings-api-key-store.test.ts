// The API key behind a keychain that answers asynchronously, as Electron's safeStorage does.
import { describe, expect, it } from 'vitest';
import { ApiKeyStore, type SecretCipher } from '../../src/core/settings/api-key-store.ts';

const KEY = 'sk-secret-123';

/** A keychain whose key can rotate: ciphertext is `v<key version>:` and the text XORed. A
 * ciphertext under an older version still decrypts, and asks to be encrypted again. */
function fakeKeychain() {
  const keychain: { available: boolean; version: number; calls: string[]; cipher: SecretCipher } = {
    available: true,
    version: 1,
    calls: [],
    cipher: {
      available: async () => {
        keychain.calls.push('available');
        return keychain.available;
      },
      encrypt: async (plain) => {
        keychain.calls.push('encrypt');
        const body = Buffer.from(plain).map((b) => b ^ 0x5a);
        return Buffer.concat([Buffer.from(`v${keychain.version}:`), body]);
      },
      decrypt: async (cipher) => {
        keychain.calls.push('decrypt');
        const match = /^v(\d+):/.exec(Buffer.from(cipher).toString('latin1'));
        if (!match || Number(match[1]) > keychain.version) {
          throw new Error('Error while decrypting the ciphertext provided to safeStorage.');
        }
        const body = Buffer.from(cipher).subarray(match[0].length);
        return {
          result: Buffer.from(body.map((b) => b ^ 0x5a)).toString(),
          shouldReEncrypt: Number(match[1]) < keychain.version,
        };
      },
    },
  };
  return keychain;
}

/** Settings-file storage that remembers every write. */
function fakeBackend(initial?: string) {
  const backend = {
    stored: initial,
    writes: [] as (string | undefined)[],
    read: () => backend.stored,
    write: (base64: string | undefined) => {
      backend.writes.push(base64);
      backend.stored = base64;
    },
  };
  return backend;
}

/** Whether `text` appears in the backend's value, as it is or once base64-decoded. */
function holdsInClear(stored: string | undefined, text: string): boolean {
  if (stored === undefined) return false;
  return stored.includes(text) || Buffer.from(stored, 'base64').toString('latin1').includes(text);
}

describe('ApiKeyStore', () => {
  it('encrypts the key it stores, and decrypts it when asked', async () => {
    const keychain = fakeKeychain();
    const backend = fakeBackend();
    const keys = new ApiKeyStore(keychain.cipher, backend);
    await keys.set(`  ${KEY} `);
    expect(keychain.calls).toContain('encrypt');
    expect(backend.stored).toBeDefined();
    expect(holdsInClear(backend.stored, KEY)).toBe(false);
    expect(Buffer.from(backend.stored!, 'base64').toString('latin1')).toMatch(/^v1:/);

    // Another run of the app: only the ciphertext is left.
    const later = new ApiKeyStore(keychain.cipher, fakeBackend(backend.stored));
    expect(await later.get()).toBe(KEY);
    expect(keychain.calls.at(-1)).toBe('decrypt');
    expect(await later.status()).toEqual({ stored: true, persistent: true });
  });

  it('forgets the key when given an empty one', async () => {
    const keychain = fakeKeychain();
    const backend = fakeBackend();
    const keys = new ApiKeyStore(keychain.cipher, backend);
    await keys.set(KEY);
    await keys.set('   ');
    expect(backend.stored).toBeUndefined();
    expect(await keys.get()).toBeUndefined();
    expect(await keys.status()).toEqual({ stored: false, persistent: true });
  });

  it('encrypts the key again, and stores that, when the keychain asks', async () => {
    const keychain = fakeKeychain();
    const backend = fakeBackend();
    const keys = new ApiKeyStore(keychain.cipher, backend);
    await keys.set(KEY);
    const before = backend.stored;
    keychain.version = 2; // the keychain's key rotated
    expect(await keys.get()).toBe(KEY);
    expect(backend.stored).not.toBe(before);
    expect(Buffer.from(backend.stored!, 'base64').toString('latin1')).toMatch(/^v2:/);
    expect(holdsInClear(backend.stored, KEY)).toBe(false);
    // Once is enough: the new ciphertext needs nothing more.
    const writes = backend.writes.length;
    expect(await keys.get()).toBe(KEY);
    expect(backend.writes).toHaveLength(writes);
  });

  it('keeps the key in memory only, never written, where the keychain would not protect it', async () => {
    const keychain = fakeKeychain();
    keychain.available = false;
    const backend = fakeBackend();
    const keys = new ApiKeyStore(keychain.cipher, backend);
    await keys.set(KEY);
    expect(backend.writes.every((w) => w === undefined)).toBe(true);
    expect(keychain.calls).not.toContain('encrypt');
    expect(await keys.get()).toBe(KEY);
    expect(await keys.status()).toEqual({ stored: true, persistent: false });
    // Not in the next run of the app.
    expect(await new ApiKeyStore(keychain.cipher, backend).get()).toBeUndefined();
  });

  it('has no key where the stored one cannot be decrypted, and leaves it for a new one', async () => {
    const keychain = fakeKeychain();
    // Encrypted by a keychain this account cannot use (another OS account, a newer key).
    const foreign = Buffer.from('v9:somethingelse').toString('base64');
    const backend = fakeBackend(foreign);
    const keys = new ApiKeyStore(keychain.cipher, backend);
    expect(await keys.get()).toBeUndefined();
    expect(await keys.status()).toEqual({ stored: false, persistent: true });
    expect(backend.stored).toBe(foreign);
    await keys.set(KEY);
    expect(await keys.get()).toBe(KEY);
  });

  it('ignores what it stored once the keychain is gone', async () => {
    const keychain = fakeKeychain();
    const backend = fakeBackend();
    await new ApiKeyStore(keychain.cipher, backend).set(KEY);
    keychain.available = false;
    const keys = new ApiKeyStore(keychain.cipher, backend);
    expect(await keys.get()).toBeUndefined();
    expect(keychain.calls.at(-1)).toBe('available');
    expect(await keys.status()).toEqual({ stored: false, persistent: false });
  });

  it('never lets a re-encryption overwrite a key set meanwhile', async () => {
    const keychain = fakeKeychain();
    const backend = fakeBackend();
    const keys = new ApiKeyStore(keychain.cipher, backend);
    await keys.set(KEY);
    keychain.version = 2;
    const [got] = await Promise.all([keys.get(), keys.set('sk-new-456')]);
    expect(got).toBe(KEY);
    expect(await keys.get()).toBe('sk-new-456');
    expect(await new ApiKeyStore(keychain.cipher, backend).get()).toBe('sk-new-456');
  });
});
