// Keycodes as uiohook-napi numbers them (libuiohook VC_*), for the hotkey tests: the native
// module itself is not loaded in unit tests. Deliberately without F13, which a test uses as
// a key the hook has no code for.
export const KEYCODES = {
  Ctrl: 29,
  CtrlRight: 3613,
  Alt: 56,
  AltRight: 3640,
  Shift: 42,
  ShiftRight: 54,
  Meta: 3675,
  MetaRight: 3676,
  Space: 57,
  Escape: 1,
  A: 30,
  D: 32,
  F9: 67,
} as const;
