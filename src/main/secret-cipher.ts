// Electron's safeStorage, through its asynchronous API (the synchronous one is deprecated in
// Electron 45), as the API key's cipher. Ciphertext written by the synchronous API still
// decrypts; ApiKeyStore encrypts it again when safeStorage says so (`shouldReEncrypt`).
//
// On Linux, with no secret service, the asynchronous API falls back to a fixed key and still
// reports itself available (electron: shell/browser/api/electron_api_safe_storage.cc,
// shell/browser/browser_process_impl.cc): plain text in all but name. It cannot say which
// key it uses; `getSelectedStorageBackend()`, chosen from the same desktop and
// --password-store flag, can: `basic_text` means no keychain, and the key is then kept in
// memory only (see ApiKeyStore).
import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/settings/api-key-store.ts';

export const safeStorageCipher: SecretCipher = {
  async available() {
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
      return false;
    return safeStorage.isAsyncEncryptionAvailable();
  },
  encrypt: (plain) => safeStorage.encryptStringAsync(plain),
  decrypt: (cipher) => safeStorage.decryptStringAsync(Buffer.from(cipher)),
};
