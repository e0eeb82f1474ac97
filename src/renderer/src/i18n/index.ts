// vue-i18n with the two UI languages. The person's choice wins; otherwise the OS language
// (navigator.language) decides: any Chinese variant → zh-CN, everything else → English.
import { createI18n } from 'vue-i18n';
import type { UiLocale } from '../../../shared/settings.ts';
import { en, type Messages } from './en.ts';
import { zhCN } from './zh-CN.ts';

export function systemLocale(languages: readonly string[] = navigator.languages): UiLocale {
  return languages[0]?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function resolveLocale(choice: UiLocale | 'system'): UiLocale {
  return choice === 'system' ? systemLocale() : choice;
}

export function createAppI18n() {
  return createI18n<[Messages], UiLocale>({
    legacy: false,
    locale: systemLocale(),
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
  });
}
