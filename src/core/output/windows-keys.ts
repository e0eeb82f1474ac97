// Keystrokes on Windows through SendInput, called from PowerShell. Typed text is sent as
// Unicode key events (KEYEVENTF_UNICODE), one per UTF-16 unit, so CJK and emoji arrive intact.
import type { KeyBackend, WindowRef } from './key-backend.ts';
import { hasTool, runTool } from './run-tool.ts';

const INPUT_CS = `
using System; using System.Collections.Generic; using System.Runtime.InteropServices;
public static class TingxieInput {
  [StructLayout(LayoutKind.Sequential)] struct KEYBDINPUT { public ushort wVk; public ushort wScan; public uint dwFlags; public uint time; public IntPtr dwExtraInfo; }
  [StructLayout(LayoutKind.Explicit, Size = 40)] struct INPUT { [FieldOffset(0)] public uint type; [FieldOffset(8)] public KEYBDINPUT ki; }
  [DllImport("user32.dll", SetLastError = true)] static extern uint SendInput(uint n, INPUT[] inputs, int size);
  [DllImport("user32.dll")] public static extern IntPtr GetForegroundWindow();
  [DllImport("user32.dll")] public static extern bool SetForegroundWindow(IntPtr hWnd);
  const uint KEYUP = 2, UNICODE = 4;
  static INPUT Key(ushort vk, ushort scan, uint flags) { var i = new INPUT(); i.type = 1; i.ki.wVk = vk; i.ki.wScan = scan; i.ki.dwFlags = flags; return i; }
  static void Send(List<INPUT> keys) {
    // Release Shift, Ctrl, Alt and Windows first: the user may still hold the hotkey.
    foreach (ushort vk in new ushort[] { 0x10, 0x11, 0x12, 0x5B, 0x5C, 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5 }) keys.Insert(0, Key(vk, 0, KEYUP));
    var a = keys.ToArray();
    if (SendInput((uint)a.Length, a, Marshal.SizeOf(typeof(INPUT))) != a.Length)
      throw new Exception("Windows blocked the keystrokes (the focused window may run as administrator).");
  }
  public static void Paste() { Send(new List<INPUT> { Key(0x11, 0, 0), Key(0x56, 0, 0), Key(0x56, 0, KEYUP), Key(0x11, 0, KEYUP) }); }
  public static void Type(string text) {
    var keys = new List<INPUT>();
    foreach (char c in text.Replace("\\r\\n", "\\n")) {
      if (c == '\\n') { keys.Add(Key(0x0D, 0, 0)); keys.Add(Key(0x0D, 0, KEYUP)); }
      else { keys.Add(Key(0, c, UNICODE)); keys.Add(Key(0, c, UNICODE | KEYUP)); }
    }
    Send(keys);
  }
}`;

// The text is read from stdin as UTF-8; the window handle comes as an argument.
const script = (body: string) =>
  `$ErrorActionPreference='Stop'; Add-Type -TypeDefinition @'\n${INPUT_CS}\n'@\n${body}`;
const FOCUS = `if ($args.Count -gt 0 -and $args[0]) { [void][TingxieInput]::SetForegroundWindow([IntPtr][long]$args[0]) }`;
const READ_STDIN =
  '$text = (New-Object IO.StreamReader([Console]::OpenStandardInput(), [Text.Encoding]::UTF8)).ReadToEnd()';

export function createWindowsKeys(env: NodeJS.ProcessEnv): KeyBackend {
  const powershell = (body: string, args: string[] = [], input?: string) =>
    runTool(
      'powershell',
      ['-NoProfile', '-NonInteractive', '-Command', `& { ${script(body)} }`, ...args],
      { env, input, timeoutMs: 20_000 },
    );
  const focusedWindow = async (): Promise<WindowRef | undefined> => {
    const id = (await powershell('[long][TingxieInput]::GetForegroundWindow()')).stdout
      .toString()
      .trim();
    return id && id !== '0' ? { id } : undefined;
  };

  return {
    pasteHint: 'Ctrl+V',
    unavailable: () =>
      hasTool('powershell.exe', env) || hasTool('powershell', env)
        ? undefined
        : 'PowerShell is missing, so Tingxie cannot send keystrokes.',
    focusedWindow,
    // PowerShell starts slowly, so the window is focused in the same call that sends keys.
    async focus(target) {
      return target ?? focusedWindow();
    },
    async paste(window) {
      await powershell(`${FOCUS}; [TingxieInput]::Paste()`, window ? [window.id] : []);
    },
    async type(text, window) {
      await powershell(
        `${FOCUS}; ${READ_STDIN}; [TingxieInput]::Type($text)`,
        window ? [window.id] : [],
        text,
      );
    },
  };
}
