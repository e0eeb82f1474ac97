// Brings whatever is on disk to the current settings version. Stored settings may come from
// an older release, be hand-edited, or be cut short by a crash: every field that is missing
// or invalid falls back to its default, so that one bad value never resets the rest.
import { SETTINGS_VERSION, settingsSchema, type Settings } from '../../shared/settings.ts';
import { defaultSettings } from './defaults.ts';

type Json = Record<string, unknown>;

export interface MigrationResult {
  settings: Settings;
  /** Dotted paths of the fields that were reset to their defaults. */
  repaired: string[];
}

export function migrateSettings(stored: unknown): MigrationResult {
  // Version 1 is the first schema; a later one adds its upgrade step here, before the merge.
  const data: Json = isObject(stored) ? upgradeOnboarding(stored) : {};
  const repaired: string[] = [];
  const merged = mergeValid(
    defaultSettings(),
    { ...data, version: SETTINGS_VERSION },
    '',
    repaired,
  );
  const parsed = settingsSchema.safeParse(merged);
  if (parsed.success) return { settings: parsed.data, repaired };
  // A value of the right type can still be out of range, or clash with another field (a
  // provider with no URL): that group goes back to its defaults.
  const fallback = defaultSettings();
  const settings = merged as Settings;
  for (const issue of parsed.error.issues) {
    // The clean-up's own fields go back to theirs alone: the vocabulary and rules stay.
    if (issue.path[0] === 'text' && issue.path[1] === 'cleanUp') {
      settings.text.cleanUp = fallback.text.cleanUp;
      repaired.push('text.cleanUp');
      continue;
    }
    const group = String(issue.path[0]) as keyof Settings;
    (settings as Json)[group] = fallback[group];
    repaired.push(group);
  }
  return { settings: settingsSchema.parse(settings), repaired };
}

/** Settings stored by a release before the first run's guided setup (or a file without the
 * flag) belong to someone who has used Tingxie already: the setup is not shown to them. Only
 * no settings at all is a first run. */
function upgradeOnboarding(stored: Json): Json {
  const ui = isObject(stored.ui) ? stored.ui : {};
  if (typeof ui.onboardingDone === 'boolean') return stored;
  return { ...stored, ui: { ...ui, onboardingDone: true } };
}

/** Takes each leaf of `stored` whose type matches the default's, field by field. */
function mergeValid(defaults: unknown, stored: unknown, path: string, repaired: string[]): unknown {
  if (isObject(defaults)) {
    if (stored !== undefined && !isObject(stored)) repaired.push(path);
    const from = isObject(stored) ? stored : {};
    const out: Json = {};
    for (const [key, value] of Object.entries(defaults)) {
      out[key] = mergeValid(value, from[key], path ? `${path}.${key}` : key, repaired);
    }
    return out;
  }
  if (stored === undefined) return defaults;
  if (typeof stored !== typeof defaults) {
    repaired.push(path);
    return defaults;
  }
  return stored;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
