// Settings as main holds them: loaded (and repaired) once, validated on every save, written
// through a backend that main provides (electron-store) and tests replace with memory.
import type { Logger } from '../log.ts';
import { validateSettings, type Settings, type SettingsValidation } from '../../shared/settings.ts';
import { migrateSettings } from './migrate.ts';

export interface SettingsBackend {
  read(): unknown;
  write(settings: Settings): void;
}

export class SettingsRepository {
  private value: Settings;
  private readonly backend: SettingsBackend;

  constructor(backend: SettingsBackend, log: Logger) {
    this.backend = backend;
    const { settings, repaired } = migrateSettings(backend.read());
    if (repaired.length > 0) {
      log.warn(`Settings: reset to defaults (missing or invalid): ${repaired.join(', ')}`);
      backend.write(settings);
    }
    this.value = settings;
  }

  get current(): Settings {
    return structuredClone(this.value);
  }

  /** Validates and stores `input`; on failure nothing is written. */
  save(input: unknown): SettingsValidation {
    const result = validateSettings(input);
    if (result.ok) {
      this.backend.write(result.settings);
      this.value = result.settings;
    }
    return result;
  }
}
