// Simplified ↔ Traditional Chinese with OpenCC's dictionaries (opencc-js), following the script
// the person chose. Recognizers write whichever script their training data had: most
// Mandarin models write Simplified, Whisper often writes Traditional.
//
// The conversions are OpenCC's own configurations: hk2s to Simplified (it also undoes Taiwan
// and Hong Kong variant forms: 衞 → 卫, 裡 → 里), s2t to OpenCC's standard Traditional, s2tw to
// Taiwan's and s2hk to Hong Kong's character forms. Characters only, not vocabulary: s2twp
// would also rewrite words (软件 → 軟體, 鼠标 → 滑鼠), which a dictation app must not do
// unasked; a rule does it for whoever wants it (rules.ts). Text already in the chosen script
// and everything that is not Chinese come out unchanged.
//
// The dictionaries load on first use, not with the app: Traditional → Simplified is 0.1 MB of
// JavaScript (~2 MB of memory once built, ~0.15 s), Simplified → Traditional 1.1 MB (~45 MB of
// memory for Taiwan or Hong Kong, ~0.3 s).
import { OUTPUT_SCRIPTS, type OutputScript } from '../../shared/settings.ts';
import { withProtectedSpans } from './protected-spans.ts';

// The scripts are a setting: shared/settings.ts defines them, for the settings and the CLI.
export { OUTPUT_SCRIPTS, type OutputScript };

/** Converts text into one script; made by `loadScriptConverter`. */
export type ScriptConverter = (text: string) => string;

type Converting = Exclude<OutputScript, 'as-is'>;

const LOADERS: Record<Converting, () => Promise<ScriptConverter>> = {
  simplified: async () => (await import('opencc-js/t2cn')).Converter({ from: 'hk', to: 'cn' }),
  traditional: async () => (await import('opencc-js/cn2t')).Converter({ from: 'cn', to: 't' }),
  tw: async () => (await import('opencc-js/cn2t')).Converter({ from: 'cn', to: 'tw' }),
  hk: async () => (await import('opencc-js/cn2t')).Converter({ from: 'cn', to: 'hk' }),
};

const loaded = new Map<Converting, Promise<ScriptConverter>>();

/** The converter into `script`, loading its dictionaries the first time (once per script). */
export function loadScriptConverter(script: Converting): Promise<ScriptConverter> {
  let converter = loaded.get(script);
  if (converter === undefined) {
    converter = LOADERS[script]().catch((error: unknown) => {
      loaded.delete(script);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Could not load the Chinese script converter (opencc-js): ${reason}. ` +
          'Reinstall Tingxie, or set the output script to "as-is".',
        { cause: error },
      );
    });
    loaded.set(script, converter);
  }
  return converter;
}

/** `text` in the converter's script; URLs, paths and code are left alone. */
export function convertScript(text: string, converter: ScriptConverter): string {
  return withProtectedSpans(text, converter);
}
