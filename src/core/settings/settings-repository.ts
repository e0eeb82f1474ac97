// Settings as main holds them: loaded (and repaired) once, validated on every save, written
// through a backend that main provides (electron-store) and tests replace with memory.
import type { Logger } from '../log.ts';
import { validateSettings, type Settings, type SettingsValidation } from '../../shared/settings.ts';
import { hotkeyIssues } from './hotkey-issues.ts';
import { migrateSettings } from './migrate.ts';

export interface SettingsBackend {
  read(): unknown;
  write(settings: Settings): void;
}

export class SettingsRepository {
  private value: Settings;
  private readonly backend: SettingsBackend;
  private readonly log: Logger;

  constructor(backend: SettingsBackend, log: Logger) {
    this.backend = backend;
    this.log = log;
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

  /** Validates and stores `input` (hotkeys included); on failure nothing is written. */
  save(input: unknown): SettingsValidation {
    const result = validateSettings(input);
    const hotkeys = result.ok ? hotkeyIssues(result.settings) : [];
    if (hotkeys.length > 0) {
      for (const issue of hotkeys) this.log.warn(`Settings: ${issue.path}: ${issue.detail}`);
      return { ok: false, issues: hotkeys.map(({ path, message }) => ({ path, message })) };
    }
    if (result.ok) {
      this.backend.write(result.settings);
      this.value = result.settings;
    }
    return result;
  }
}
