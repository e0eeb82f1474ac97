// Where the history lives. The CLI and the desktop app must share one store, so the default
// folder is the one Electron's `app.getPath('userData')` gives for the app name "Tingxie".
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export const APP_NAME = 'Tingxie';
export const DATABASE_FILE = 'history.sqlite';
export const AUDIO_FOLDER = 'audio';

/** The app's own data folder: ~/.config/Tingxie (or $XDG_CONFIG_HOME/Tingxie) on Linux,
 * ~/Library/Application Support/Tingxie on macOS, %APPDATA%\Tingxie on Windows. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_NAME);
  return posix.join(env.XDG_CONFIG_HOME || posix.join(home, '.config'), APP_NAME);
}
