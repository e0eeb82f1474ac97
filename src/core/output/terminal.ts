// Terminals paste with Ctrl+Shift+V on Linux (Ctrl+V is a control character there).
// Matched against the focused window's WM_CLASS (instance or class), case-insensitively.
const TERMINALS = new Set([
  'xterm',
  'uxterm',
  'gnome-terminal',
  'gnome-terminal-server',
  'org.gnome.terminal',
  'org.gnome.console',
  'kgx',
  'org.gnome.ptyxis',
  'ptyxis',
  'konsole',
  'org.kde.konsole',
  'yakuake',
  'alacritty',
  'kitty',
  'org.wezfurlong.wezterm',
  'wezterm',
  'wezterm-gui',
  'com.mitchellh.ghostty',
  'ghostty',
  'foot',
  'footclient',
  'terminator',
  'tilix',
  'com.gexperts.tilix',
  'xfce4-terminal',
  'mate-terminal',
  'lxterminal',
  'qterminal',
  'terminology',
  'sakura',
  'guake',
  'tilda',
  'urxvt',
  'rxvt',
  'st',
  'st-256color',
  'cool-retro-term',
  'hyper',
  'tabby',
  'contour',
  'rio',
  'warp',
  'blackbox',
  'com.raggesilver.blackbox',
]);

/** Whether a window class (WM_CLASS instance or class name) belongs to a terminal emulator. */
export function isTerminal(windowClass: string | undefined): boolean {
  if (!windowClass) return false;
  return windowClass.split(/[\s,]+/).some((name) => TERMINALS.has(name.toLowerCase()));
}
