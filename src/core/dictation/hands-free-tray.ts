// The tray icon's state, from the dictation service's status: one place decides what the
// person sees, whether the dictation came from the hotkey, the tray or the window. While one
// dictation listens and earlier ones are still transcribing, the icon says listening: that is
// what the person is doing, and the microphone is open.
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
