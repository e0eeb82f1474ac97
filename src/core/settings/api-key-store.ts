// The API key, kept encrypted by the OS keychain (main passes Electron's safeStorage in as a
// `SecretCipher`). Where the OS offers no keychain (Linux without a secret service), the key
// is held in memory until quit rather than written to disk in a form anyone could read.
import type { ApiKeyStatus } from '../../shared/ipc.ts';

/** The keychain's encryption; it answers asynchronously, as Electron's safeStorage does. */
export interface SecretCipher {
  /** false when encryption would not protect the key (no keychain). */
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Uint8Array>;
  /** Rejects when `cipher` cannot be decrypted here. `shouldReEncrypt`: the keychain's key
   * changed (rotated, or a better one is available), so the key should be encrypted again. */
  decrypt(cipher: Uint8Array): Promise<{ result: string; shouldReEncrypt: boolean }>;
}

/** Where the ciphertext lives (base64), next to the settings. */
export interface CipherTextBackend {
  read(): string | undefined;
  write(base64: string | undefined): void;
}

export class ApiKeyStore {
  private memory: string | undefined;
  private readonly cipher: SecretCipher;
  private readonly backend: CipherTextBackend;
  /** The operation before the next one (see `serially`). */
  private last: Promise<unknown> = Promise.resolve();

  constructor(cipher: SecretCipher, backend: CipherTextBackend) {
    this.cipher = cipher;
    this.backend = backend;
  }

  /** The key, for main's own use only: it never crosses to the renderer or into a log. */
  get(): Promise<string | undefined> {
    return this.serially(() => this.read());
  }

  /** Stores `apiKey`; an empty string forgets it. */
  set(apiKey: string): Promise<void> {
    return this.serially(() => this.write(apiKey.trim()));
  }

  status(): Promise<ApiKeyStatus> {
    return this.serially(async () => ({
      stored: (await this.read()) !== undefined,
      persistent: await this.cipher.available(),
    }));
  }

  /** One operation at a time, in the order asked: keys set in a row are written in that
   * order, and a key encrypted again after reading never overwrites one set meanwhile. */
  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.last.then(operation);
    this.last = result.catch(() => {});
    return result;
  }

  private async read(): Promise<string | undefined> {
    if (this.memory !== undefined) return this.memory;
    const stored = this.backend.read();
    if (!stored || !(await this.cipher.available())) return undefined;
    let decrypted: { result: string; shouldReEncrypt: boolean };
    try {
      decrypted = await this.cipher.decrypt(Buffer.from(stored, 'base64'));
    } catch {
      // Encrypted under another OS account or keychain: it cannot be recovered, only replaced.
      return undefined;
    }
    if (decrypted.shouldReEncrypt) {
      try {
        this.backend.write(await this.encrypt(decrypted.result));
      } catch {
        // The old ciphertext still decrypts: encrypting again can wait for the next read.
      }
    }
    return decrypted.result;
  }

  private async write(key: string): Promise<void> {
    this.memory = undefined;
    if (!key) {
      this.backend.write(undefined);
    } else if (await this.cipher.available()) {
      this.backend.write(await this.encrypt(key));
    } else {
      this.backend.write(undefined);
      this.memory = key;
    }
  }

  private async encrypt(key: string): Promise<string> {
    return Buffer.from(await this.cipher.encrypt(key)).toString('base64');
  }
}
