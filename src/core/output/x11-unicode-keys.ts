// Typing characters the keyboard does not have (CJK, emoji) on X11, without xdotool's race.
//
// For such a character xdotool maps it onto one scratch keycode, sends the key, and maps the
// next character onto the same keycode a few milliseconds later. Applications look the
// keycode up when they handle the event, so a busy one reads the *next* mapping and types
// the wrong character (seen with xterm: "你好界界"). Instead we map a whole run of characters
// onto distinct spare keycodes before typing it, alternating between two halves of the spare
// keycodes, so a keycode is remapped only after a whole further run has been typed.

/** Our mappings: every level of the keycode holds the same Unicode keysym (`U4F60`). */
const OURS = /^U[0-9A-F]{4,}$/;

/** Keycodes free for typing: unmapped, or mapped by us before. `pke` is `xmodmap -pke`. */
export function spareKeycodes(pke: string): number[] {
  const spare: number[] = [];
  for (const line of pke.split('\n')) {
    const m = /^keycode\s+(\d+)\s*=(.*)$/.exec(line);
    if (!m) continue;
    const syms = m[2]!.trim().split(/\s+/).filter(Boolean);
    if (syms.length === 0 || (syms.every((s) => s === syms[0]) && OURS.test(syms[0]!)))
      spare.push(Number(m[1]));
  }
  return spare;
}

/** Characters beyond Latin-1: keyboards rarely have them, and xdotool would remap for each.
 * (Latin-1 ones are left to xdotool: their keysyms have names we could not tell apart from
 * a real layout's on the next run.) */
const needsMapping = (ch: string): boolean => ch.codePointAt(0)! > 0xff;

export interface TypingRun {
  text: string;
  /** Distinct characters of `text` to map onto spare keycodes first. */
  chars: string[];
}

/** Splits `text` into runs that each need at most `size` mapped characters. */
export function planRuns(text: string, size: number): TypingRun[] {
  const runs: TypingRun[] = [];
  let current: TypingRun = { text: '', chars: [] };
  for (const ch of text) {
    if (needsMapping(ch) && !current.chars.includes(ch)) {
      if (current.chars.length === size) {
        runs.push(current);
        current = { text: '', chars: [] };
      }
      current.chars.push(ch);
    }
    current.text += ch;
  }
  if (current.text) runs.push(current);
  return runs;
}

/** `xmodmap -e` arguments mapping `chars` onto `keycodes` (all four levels, so Shift or
 * Caps Lock do not matter). */
export function mappingArgs(chars: readonly string[], keycodes: readonly number[]): string[] {
  return chars.flatMap((ch, i) => {
    const sym = `0x${(0x1000000 + ch.codePointAt(0)!).toString(16)}`;
    return ['-e', `keycode ${keycodes[i]} = ${sym} ${sym} ${sym} ${sym}`];
  });
}
