// Electron's safeStorage as the API key's cipher. On Linux, the `basic_text` backend means no
// keychain was found and the "encryption" uses a fixed password: that is plain text in all
// but name, so the key is then kept in memory only (see ApiKeyStore).
import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/settings/api-key-store.ts';

export const safeStorageCipher: SecretCipher = {
  available() {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher)),
};
