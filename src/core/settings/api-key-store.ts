// The API key, kept encrypted by the OS keychain (main passes Electron's safeStorage in as a
// `SecretCipher`). Where the OS offers no keychain (Linux without a secret service), the key
// is held in memory until quit rather than written to disk in a form anyone could read.
import type { ApiKeyStatus } from '../../shared/ipc.ts';

export interface SecretCipher {
  /** false when encryption would not protect the key (no keychain). */
  available(): boolean;
  encrypt(plain: string): Uint8Array;
  decrypt(cipher: Uint8Array): string;
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

  constructor(cipher: SecretCipher, backend: CipherTextBackend) {
    this.cipher = cipher;
    this.backend = backend;
  }

  /** The key, for main's own use only: it never crosses to the renderer or into a log. */
  get(): string | undefined {
    if (this.memory !== undefined) return this.memory;
    const stored = this.backend.read();
    if (!stored || !this.cipher.available()) return undefined;
    try {
      return this.cipher.decrypt(Buffer.from(stored, 'base64'));
    } catch {
      // Encrypted under another OS account or keychain: it cannot be recovered, only replaced.
      return undefined;
    }
  }

  /** Stores `apiKey`; an empty string forgets it. */
  set(apiKey: string): void {
    const key = apiKey.trim();
    this.memory = undefined;
    if (!key) {
      this.backend.write(undefined);
      return;
    }
    if (this.cipher.available()) {
      this.backend.write(Buffer.from(this.cipher.encrypt(key)).toString('base64'));
    } else {
      this.backend.write(undefined);
      this.memory = key;
    }
  }

  status(): ApiKeyStatus {
    return { stored: this.get() !== undefined, persistent: this.cipher.available() };
  }
}
