// The settings file (electron-store, JSON in the app's user-data folder): the settings under
// `settings`, the API key's ciphertext under `apiKeyCipher`, the LLM clean-up key's under
// `cleanUpKeyCipher`. Never a key itself.
import Store from 'electron-store';
import type { CipherTextBackend } from '../core/settings/api-key-store.ts';
import type { SettingsBackend } from '../core/settings/settings-repository.ts';

interface FileShape {
  settings?: unknown;
  apiKeyCipher?: string;
  cleanUpKeyCipher?: string;
}

type CipherSlot = 'apiKeyCipher' | 'cleanUpKeyCipher';

export function openSettingsFile(): {
  settings: SettingsBackend;
  apiKey: CipherTextBackend;
  cleanUpKey: CipherTextBackend;
} {
  const store = new Store<FileShape>({ name: 'settings', clearInvalidConfig: true });
  const slot = (name: CipherSlot): CipherTextBackend => ({
    read: () => store.get(name),
    write: (value) => (value === undefined ? store.delete(name) : store.set(name, value)),
  });
  return {
    settings: {
      read: () => store.get('settings'),
      write: (value) => store.set('settings', value),
    },
    apiKey: slot('apiKeyCipher'),
    cleanUpKey: slot('cleanUpKeyCipher'),
  };
}
