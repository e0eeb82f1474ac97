// Hotkey text → a validated accelerator. The syntax is Electron's (`CommandOrControl+Shift+D`,
// `Ctrl+Shift+Space`, `F9`), plus one addition that only a key hook can watch: a lone modifier
// key such as `Right Alt`, the classic hold-to-talk key.

export type Modifier = 'ctrl' | 'alt' | 'shift' | 'meta';
const MODIFIER_ORDER: readonly Modifier[] = ['ctrl', 'alt', 'shift', 'meta'];
const MODIFIER_LABEL: Record<Modifier, string> = {
  ctrl: 'Ctrl',
  alt: 'Alt',
  shift: 'Shift',
  meta: 'Super',
};

export interface KeyInfo {
  /** The names of the key in uiohook-napi's `UiohookKey` table (either side for a generic modifier). */
  hook: readonly string[];
  /** The key in Electron's accelerator syntax; absent for keys globalShortcut cannot register. */
  electron?: string;
  /** Whether the key may be a hotkey on its own (F-keys, modifier keys) rather than only with modifiers. */
  alone: boolean;
  /** Set on a modifier key used as the hotkey itself (e.g. Right Alt). */
  modifier?: Modifier;
}

export interface Accelerator {
  /** Normalized text, e.g. `Ctrl+Shift+Space`, `Right Alt`. Equal accelerators have equal text. */
  text: string;
  modifiers: readonly Modifier[];
  /** Canonical key name, a key of {@link KEYS}. */
  key: string;
  /** The string to give Electron's globalShortcut, or undefined when only a key hook can watch
   * this hotkey (a lone modifier key such as Right Alt). */
  electron?: string;
}

export type ParseResult = { ok: true; accelerator: Accelerator } | { ok: false; message: string };

function keys(): Record<string, KeyInfo> {
  const table: Record<string, KeyInfo> = {};
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
    table[c] = { hook: [c], electron: c, alone: false };
  for (let n = 1; n <= 24; n++)
    table[`F${n}`] = { hook: [`F${n}`], electron: `F${n}`, alone: true };
  for (let n = 0; n <= 9; n++)
    table[`num${n}`] = { hook: [`Numpad${n}`], electron: `num${n}`, alone: false };
  const named: [string, string, string, boolean][] = [
    // canonical, UiohookKey name, Electron name, may stand alone
    ['Space', 'Space', 'Space', false],
    ['Tab', 'Tab', 'Tab', false],
    ['Backspace', 'Backspace', 'Backspace', false],
    ['Delete', 'Delete', 'Delete', false],
    ['Insert', 'Insert', 'Insert', true],
    ['Enter', 'Enter', 'Enter', false],
    ['Home', 'Home', 'Home', false],
    ['End', 'End', 'End', false],
    ['PageUp', 'PageUp', 'PageUp', false],
    ['PageDown', 'PageDown', 'PageDown', false],
    ['Up', 'ArrowUp', 'Up', false],
    ['Down', 'ArrowDown', 'Down', false],
    ['Left', 'ArrowLeft', 'Left', false],
    ['Right', 'ArrowRight', 'Right', false],
    ['CapsLock', 'CapsLock', 'Capslock', true],
    ['NumLock', 'NumLock', 'Numlock', true],
    ['ScrollLock', 'ScrollLock', 'Scrolllock', true],
    ['PrintScreen', 'PrintScreen', 'PrintScreen', true],
    ['Escape', 'Escape', 'Escape', false],
    ['numadd', 'NumpadAdd', 'numadd', false],
    ['numsub', 'NumpadSubtract', 'numsub', false],
    ['nummult', 'NumpadMultiply', 'nummult', false],
    ['numdiv', 'NumpadDivide', 'numdiv', false],
    ['numdec', 'NumpadDecimal', 'numdec', false],
    [',', 'Comma', ',', false],
    ['.', 'Period', '.', false],
    ['/', 'Slash', '/', false],
    [';', 'Semicolon', ';', false],
    ["'", 'Quote', "'", false],
    ['[', 'BracketLeft', '[', false],
    [']', 'BracketRight', ']', false],
    ['\\', 'Backslash', '\\', false],
    ['`', 'Backquote', '`', false],
    ['-', 'Minus', '-', false],
    ['=', 'Equal', '=', false],
    // Electron spells '+' "Plus"; on the hook it is the '=' key (US layout).
    ['Plus', 'Equal', 'Plus', false],
  ];
  for (const [name, hook, electron, alone] of named)
    table[name] = { hook: [hook], electron, alone };
  const mods: [string, Modifier, string[]][] = [
    ['Ctrl', 'ctrl', ['Ctrl', 'CtrlRight']],
    ['Left Ctrl', 'ctrl', ['Ctrl']],
    ['Right Ctrl', 'ctrl', ['CtrlRight']],
    ['Alt', 'alt', ['Alt', 'AltRight']],
    ['Left Alt', 'alt', ['Alt']],
    ['Right Alt', 'alt', ['AltRight']],
    ['Shift', 'shift', ['Shift', 'ShiftRight']],
    ['Left Shift', 'shift', ['Shift']],
    ['Right Shift', 'shift', ['ShiftRight']],
    ['Super', 'meta', ['Meta', 'MetaRight']],
    ['Left Super', 'meta', ['Meta']],
    ['Right Super', 'meta', ['MetaRight']],
  ];
  for (const [name, modifier, hook] of mods) table[name] = { hook, alone: true, modifier };
  return table;
}

/** Every key a hotkey may use, by canonical name. */
export const KEYS: Readonly<Record<string, KeyInfo>> = keys();

const squash = (s: string): string => s.toLowerCase().replace(/[\s_]+/g, '');

// Lower-case, space-free spellings → canonical key names.
const KEY_ALIASES: Record<string, string> = (() => {
  const aliases: Record<string, string> = {};
  for (const name of Object.keys(KEYS)) aliases[squash(name)] = name;
  const extra: Record<string, string> = {
    return: 'Enter',
    esc: 'Escape',
    del: 'Delete',
    ins: 'Insert',
    pgup: 'PageUp',
    pgdn: 'PageDown',
    arrowup: 'Up',
    arrowdown: 'Down',
    arrowleft: 'Left',
    arrowright: 'Right',
    printscr: 'PrintScreen',
    comma: ',',
    period: '.',
    slash: '/',
    semicolon: ';',
    quote: "'",
    bracketleft: '[',
    bracketright: ']',
    backslash: '\\',
    backquote: '`',
    minus: '-',
    equal: '=',
    control: 'Ctrl',
    leftcontrol: 'Left Ctrl',
    rightcontrol: 'Right Ctrl',
    ctrlleft: 'Left Ctrl',
    ctrlright: 'Right Ctrl',
    altleft: 'Left Alt',
    altright: 'Right Alt',
    altgr: 'Right Alt',
    rightoption: 'Right Alt',
    leftoption: 'Left Alt',
    shiftleft: 'Left Shift',
    shiftright: 'Right Shift',
    meta: 'Super',
    leftmeta: 'Left Super',
    rightmeta: 'Right Super',
    metaleft: 'Left Super',
    metaright: 'Right Super',
    rightcmd: 'Right Super',
    rightcommand: 'Right Super',
    leftcmd: 'Left Super',
    leftcommand: 'Left Super',
  };
  for (let n = 0; n <= 9; n++) extra[`numpad${n}`] = `num${n}`;
  return { ...aliases, ...extra };
})();

function modifierOf(token: string, platform: NodeJS.Platform): Modifier | undefined {
  switch (token) {
    case 'ctrl':
    case 'control':
      return 'ctrl';
    case 'alt':
    case 'option':
    case 'altgr':
      return 'alt';
    case 'shift':
      return 'shift';
    case 'super':
    case 'meta':
    case 'cmd':
    case 'command':
    case 'win':
    case 'windows':
      return 'meta';
    case 'commandorcontrol':
    case 'cmdorctrl':
      return platform === 'darwin' ? 'meta' : 'ctrl';
    default:
      return undefined;
  }
}

// Shortcuts the system or nearly every application already uses; taking them would break
// copy, paste or window switching. Written with canonical modifier order.
const RESERVED: Record<string, string> = {
  'Ctrl+C': 'Copy',
  'Ctrl+V': 'Paste',
  'Ctrl+X': 'Cut',
  'Ctrl+Z': 'Undo',
  'Ctrl+A': 'Select All',
  'Ctrl+S': 'Save',
  'Ctrl+Alt+Delete': 'the system menu',
  'Alt+Tab': 'window switching',
  'Alt+F4': 'closing windows',
};
const RESERVED_MAC: Record<string, string> = {
  'Super+C': 'Copy',
  'Super+V': 'Paste',
  'Super+X': 'Cut',
  'Super+Z': 'Undo',
  'Super+A': 'Select All',
  'Super+Q': 'Quit',
  'Super+Tab': 'app switching',
  'Super+Space': 'Spotlight',
};

const fail = (message: string): ParseResult => ({ ok: false, message });

/** Parses and validates a hotkey. A refusal's message says what is wrong and what to use instead. */
export function parseAccelerator(
  input: string,
  platform: NodeJS.Platform = process.platform,
): ParseResult {
  const text = input.trim();
  if (!text) return fail('The shortcut is empty. Press the keys you want, e.g. Ctrl+Shift+Space.');
  // "Ctrl++" means Ctrl and the plus key; other '+' are separators.
  const tokens = text.endsWith('++') ? [...text.slice(0, -2).split('+'), 'Plus'] : text.split('+');
  if (tokens.some((t) => !t.trim())) return fail(`"${text}" has an empty part between '+' signs.`);

  const modifiers = new Set<Modifier>();
  const keysFound: string[] = [];
  for (const raw of tokens) {
    const token = squash(raw);
    const modifier = modifierOf(token, platform);
    if (modifier && tokens.length > 1) {
      if (modifiers.has(modifier))
        return fail(`"${text}" names ${MODIFIER_LABEL[modifier]} twice.`);
      modifiers.add(modifier);
      continue;
    }
    // A lone modifier is the key itself: "Alt" (either side), "CommandOrControl" → Ctrl or Super.
    const key =
      KEY_ALIASES[token] ?? (modifier && KEY_ALIASES[MODIFIER_LABEL[modifier].toLowerCase()]);
    if (!key)
      return fail(
        `"${raw.trim()}" is not a key Tingxie knows. Use names like A, F9, Space, Up, Right Alt, or modifiers Ctrl, Alt, Shift, Super, CommandOrControl.`,
      );
    keysFound.push(key);
  }

  if (keysFound.length === 0)
    return fail(`"${text}" has only modifiers; add a key, e.g. ${text}+Space.`);
  if (keysFound.length > 1)
    return fail(
      `"${text}" has ${keysFound.length} keys (${keysFound.join(', ')}); a shortcut is one key plus modifiers.`,
    );
  const key = keysFound[0]!;
  const info = KEYS[key]!;

  if (info.modifier && modifiers.size > 0)
    return fail(`${key} can only be a hotkey on its own, not combined with other keys.`);
  if (key === 'Escape') return fail('Esc cancels a dictation, so it cannot also start one.');
  if (modifiers.size === 0 && !info.alone)
    return fail(
      `${key} alone would fire whenever you type it; add a modifier (e.g. Ctrl+Shift+${key}) or use an F-key or a modifier key such as Right Alt.`,
    );

  const ordered = MODIFIER_ORDER.filter((m) => modifiers.has(m));
  const normalized = [...ordered.map((m) => MODIFIER_LABEL[m]), key].join('+');
  const reserved = (platform === 'darwin' ? RESERVED_MAC : RESERVED)[normalized];
  if (reserved)
    return fail(`${normalized} is already used for ${reserved}; choose another shortcut.`);

  const electronModifiers: Record<Modifier, string> = {
    ctrl: 'Control',
    alt: 'Alt',
    shift: 'Shift',
    meta: 'Super',
  };
  return {
    ok: true,
    accelerator: {
      text: normalized,
      modifiers: ordered,
      key,
      electron:
        info.electron && [...ordered.map((m) => electronModifiers[m]), info.electron].join('+'),
    },
  };
}

export type HotkeyCheck<A extends string> =
  | { ok: true; hotkeys: Record<A, Accelerator> }
  | { ok: false; errors: { action: A; message: string }[] };

/** Validates a set of hotkeys (one per action, e.g. `dictate`, `pasteLast`) and refuses two
 * actions on the same shortcut. */
export function checkHotkeys<A extends string>(
  bindings: Record<A, string>,
  platform: NodeJS.Platform = process.platform,
): HotkeyCheck<A> {
  const errors: { action: A; message: string }[] = [];
  const hotkeys = {} as Record<A, Accelerator>;
  const owner = new Map<string, A>();
  for (const action of Object.keys(bindings) as A[]) {
    const parsed = parseAccelerator(bindings[action], platform);
    if (!parsed.ok) {
      errors.push({ action, message: parsed.message });
      continue;
    }
    const taken = owner.get(parsed.accelerator.text);
    if (taken !== undefined) {
      errors.push({
        action,
        message: `${parsed.accelerator.text} is already the shortcut for "${taken}"; choose a different one for "${action}".`,
      });
      continue;
    }
    owner.set(parsed.accelerator.text, action);
    hotkeys[action] = parsed.accelerator;
  }
  return errors.length ? { ok: false, errors } : { ok: true, hotkeys };
}
