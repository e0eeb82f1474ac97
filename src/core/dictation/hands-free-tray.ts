// The tray icon's state, from the dictation service's status: one place decides what the
// person sees, whether the dictation came from the hotkey, the tray or the window.
import type { DictationStatus } from '../../shared/ipc.ts';

export type TrayState = 'idle' | 'listening' | 'transcribing' | 'error';

export function trayStateOf(status: DictationStatus): TrayState {
  switch (status.state) {
    case 'connecting':
    case 'listening':
      return 'listening';
    case 'finishing':
      return 'transcribing';
    case 'idle':
      return status.error ? 'error' : 'idle';
  }
}
