// The settings file (electron-store, JSON in the app's user-data folder): the settings under
// `settings`, and the API key's ciphertext under `apiKeyCipher`. Never the key itself.
import Store from 'electron-store';
import type { CipherTextBackend } from '../core/settings/api-key-store.ts';
import type { SettingsBackend } from '../core/settings/settings-repository.ts';

interface FileShape {
  settings?: unknown;
  apiKeyCipher?: string;
}

export function openSettingsFile(): { settings: SettingsBackend; apiKey: CipherTextBackend } {
  const store = new Store<FileShape>({ name: 'settings', clearInvalidConfig: true });
  return {
    settings: {
      read: () => store.get('settings'),
      write: (value) => store.set('settings', value),
    },
    apiKey: {
      read: () => store.get('apiKeyCipher'),
      write: (value) =>
        value === undefined ? store.delete('apiKeyCipher') : store.set('apiKeyCipher', value),
    },
  };
}
