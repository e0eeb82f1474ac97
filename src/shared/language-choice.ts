// The spoken language as Settings offers it: a list of the common ones, each by its own name,
// and "Other" with a free entry for any other code the server takes (the schema checks it).
import { LANGUAGES } from './settings.ts';

export type ListedLanguage = (typeof LANGUAGES)[number];
export const OTHER_LANGUAGE = 'other';

/** Each listed language in its own words (auto is said in the UI's language). */
export const LANGUAGE_ENDONYMS: Record<Exclude<ListedLanguage, 'auto'>, string> = {
  zh: '中文',
  en: 'English',
  yue: '粵語',
  ja: '日本語',
  ko: '한국어',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  ru: 'Русский',
};

export interface LanguageChoice {
  /** The list's entry: a listed code, or `other`. */
  choice: ListedLanguage | typeof OTHER_LANGUAGE;
  /** The free entry's text (only used with `other`). */
  other: string;
}

const isListed = (code: string): code is ListedLanguage =>
  (LANGUAGES as readonly string[]).includes(code);

/** Where a stored language shows: its list entry, or `other` with it in the free entry. */
export function languageChoice(value: string): LanguageChoice {
  const code = value.trim();
  if (code === '') return { choice: 'auto', other: '' };
  return isListed(code) ? { choice: code, other: '' } : { choice: OTHER_LANGUAGE, other: code };
}

/** The language to store for a list entry and the free entry's text. A listed code typed
 * into the free entry is the same as choosing it. */
export function languageValue(choice: LanguageChoice): string {
  return choice.choice === OTHER_LANGUAGE ? choice.other.trim() : choice.choice;
}
