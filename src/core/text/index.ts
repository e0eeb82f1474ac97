// The text pipeline between a completed transcript and the text Tingxie inserts (pipeline.ts
// says what runs, in which order, and why).
export { DEFAULT_TEXT_OPTIONS, createTextPipeline, runTextPipeline } from './pipeline.ts';
export type { TextOptions, TextPipeline, TextResult, TextStep } from './pipeline.ts';
export { OUTPUT_SCRIPTS, loadScriptConverter } from './script-conversion.ts';
export type { OutputScript, ScriptConverter } from './script-conversion.ts';
export { EMPTY_VOCABULARY, parseVocabulary } from './vocabulary.ts';
export type { Vocabulary, VocabularyTerm } from './vocabulary.ts';
export { parseRules } from './rules.ts';
export type { Rule } from './rules.ts';
export { describeProblems } from './line-file.ts';
export type { FileParse, LineProblem } from './line-file.ts';
export { joinTurns, textToAppend } from './join-turns.ts';
export type { JoinOptions } from './join-turns.ts';
export { textOptionsFrom } from './from-settings.ts';
export type { TextFile, TextFileProblem, TextOptionsParse } from './from-settings.ts';
export { PROMPT_TERMS_MAX_CHARS, promptTerms, promptWithVocabulary } from './vocabulary-prompt.ts';
export {
  SettingsTextPipeline,
  TextSettingsError,
  checkedTextOptions,
} from './settings-pipeline.ts';
