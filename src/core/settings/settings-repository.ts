// Settings as main holds them: loaded (and repaired) once, validated on every save, written
// through a backend that main provides (electron-store) and tests replace with memory.
import type { Logger } from '../log.ts';
import { validateSettings, type Settings, type SettingsValidation } from '../../shared/settings.ts';
import { hotkeyIssues } from './hotkey-issues.ts';
import { migrateSettings } from './migrate.ts';
import { textIssues } from './text-issues.ts';

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

  /** Validates and stores `input` (hotkeys, vocabulary and rules included); on failure
   * nothing is written. */
  save(input: unknown): SettingsValidation {
    const result = validateSettings(input);
    const hotkeys = result.ok ? hotkeyIssues(result.settings) : [];
    for (const issue of hotkeys) this.log.warn(`Settings: ${issue.path}: ${issue.detail}`);
    const issues = [
      ...hotkeys.map(({ path, message }) => ({ path, message })),
      ...(result.ok ? textIssues(result.settings.text) : []),
    ];
    if (issues.length > 0) return { ok: false, issues };
    if (result.ok) {
      this.backend.write(result.settings);
      this.value = result.settings;
    }
    return result;
  }
}
