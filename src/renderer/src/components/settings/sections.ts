// Settings' sections, in the order their navigation lists them. Each is its own component in
// this folder; SettingsView shows one at a time, with one draft and one Save for all.
export const SETTINGS_SECTIONS = [
  'server',
  'models',
  'text',
  'microphone',
  'handsFree',
  'history',
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/** The section `step` places away from `current`, wrapping around (arrow keys in the tabs). */
export function stepSection(current: SettingsSection, step: number): SettingsSection {
  const n = SETTINGS_SECTIONS.length;
  const at = SETTINGS_SECTIONS.indexOf(current);
  return SETTINGS_SECTIONS[(((at + step) % n) + n) % n]!;
}
