// Keystrokes on macOS through osascript and System Events. The app running it needs two
// permissions: Automation, to send Apple events to System Events (System Settings → Privacy &
// Security → Automation), and Accessibility, for System Events to press keys for it.
import type { KeyBackend, WindowRef } from './key-backend.ts';
import { hasTool, runTool, ToolError } from './run-tool.ts';

// Release the modifiers the user may still hold (the hotkey), then act. The text comes in as
// an argument to `on run`, never spliced into the script.
const RELEASE = 'key up {command, option, shift, control}';
const PASTE = `tell application "System Events"\n${RELEASE}\nkeystroke "v" using command down\nend tell`;
const TYPE = `on run argv\ntell application "System Events"\n${RELEASE}\nkeystroke (item 1 of argv)\nend tell\nend run`;
const FRONTMOST =
  'tell application "System Events" to set p to first application process whose frontmost is true\nreturn (unix id of p as text) & tab & (name of p)';
const ACTIVATE =
  'on run argv\ntell application "System Events" to set frontmost of (first application process whose unix id is (item 1 of argv as integer)) to true\nend run';

// osascript prints "<range>: execution error: <text> (<number>)", the text in the user's
// language; the number is what stays the same.
/** "Not authorized to send Apple events to System Events. (-1743)": Automation is off. */
const AUTOMATION_DENIED = /\(-1743\)|not authori[sz]ed to send apple events/i;
/** "osascript is not allowed to send keystrokes. (1002)", "… assistive access. (-1719)". */
const ACCESSIBILITY_DENIED = /\((?:1002|-1719|-25211)\)|not allowed|assistive/i;

/** The error for a refused osascript run, saying which permission to give; `err` otherwise. */
function permissionError(err: unknown): unknown {
  if (!(err instanceof ToolError)) return err;
  const { stderr } = err;
  if (AUTOMATION_DENIED.test(stderr))
    return new ToolError(
      'osascript',
      'macOS did not allow Tingxie to control System Events, which pastes and types for it. Open System Settings → Privacy & Security → Automation, allow Tingxie (or your terminal, for the CLI) to control System Events, and try again.',
      { stderr },
    );
  if (ACCESSIBILITY_DENIED.test(stderr))
    return new ToolError(
      'osascript',
      'macOS did not allow Tingxie to send keystrokes. Open System Settings → Privacy & Security → Accessibility, turn Tingxie (or your terminal, for the CLI) on, and try again.',
      { stderr },
    );
  return err;
}

export function createMacKeys(env: NodeJS.ProcessEnv): KeyBackend {
  const osascript = async (script: string, args: string[] = []) => {
    try {
      return await runTool('osascript', ['-e', script, ...args], { env, timeoutMs: 10_000 });
    } catch (err) {
      throw permissionError(err);
    }
  };
  const activate = (id: string) => osascript(ACTIVATE, [id]);

  const focusedWindow = async (): Promise<WindowRef | undefined> => {
    try {
      const [id, name] = (await osascript(FRONTMOST)).stdout.toString('utf8').trim().split('\t');
      return id ? { id, appClass: name } : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    pasteHint: '⌘V',
    unavailable: () =>
      hasTool('osascript', env)
        ? undefined
        : 'osascript is missing, so Tingxie cannot send keystrokes.',
    focusedWindow,
    async focus(target) {
      if (!target) return focusedWindow();
      await activate(target.id);
      return target;
    },
    async paste() {
      await osascript(PASTE); // ⌘V pastes in terminals too
    },
    async type(text) {
      await osascript(TYPE, [text]);
    },
  };
}
