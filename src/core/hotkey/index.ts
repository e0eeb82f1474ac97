// Hotkeys: accelerator parsing, the push-to-talk machine, and the global key hook.
export { KEYS, checkHotkeys, parseAccelerator } from './accelerator.ts';
export type { Accelerator, HotkeyCheck, KeyInfo, Modifier, ParseResult } from './accelerator.ts';
export { PushToTalk, SHORT_TAP_MS } from './push-to-talk.ts';
export type {
  DictationControl,
  HotkeyMode,
  KeyChord,
  PushToTalkOptions,
  PushToTalkState,
} from './push-to-talk.ts';
export { chordFor, connectKeyHook, keyHookSupport, loadUiohook, startKeyHook } from './key-hook.ts';
export type { HookFallback, HookKeycodes, HookSupport, KeyHook } from './key-hook.ts';
