// The tray icon: its picture says what dictation is doing (idle, listening, transcribing,
// error); its menu starts and stops dictation, switches the mode and the output, lists the last
// transcripts (a click copies one) and opens the window.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { TrayState } from '../core/dictation/hands-free-tray.ts';
import type { HotkeyModeSetting, OutputMode, UiLocale } from '../shared/settings.ts';
import { trayLabels } from './tray-labels.ts';

export interface TrayActions {
  toggleDictation(): void;
  setMode(mode: HotkeyModeSetting): void;
  setOutput(output: OutputMode): void;
  copy(text: string): void;
  openHistory(): void;
  openSettings(): void;
  showWindow(): void;
  quit(): void;
}

/** What the tray shows; `update` rebuilds the menu from it. */
export interface TrayView {
  state: TrayState;
  mode: HotkeyModeSetting;
  output: OutputMode;
  recent: readonly string[];
  locale: UiLocale;
}

export interface AppTray {
  update(view: TrayView): void;
  destroy(): void;
}

const MENU_TEXT_LENGTH = 40;

export function createTray(icons: Record<TrayState, string>, actions: TrayActions): AppTray {
  const images = Object.fromEntries(
    Object.entries(icons).map(([state, path]) => [state, nativeImage.createFromPath(path)]),
  ) as Record<TrayState, Electron.NativeImage>;
  const tray = new Tray(images.idle);
  tray.on('click', actions.showWindow);
  let shown: TrayState | undefined;

  const update = (view: TrayView): void => {
    const l = trayLabels(view.locale);
    if (view.state !== shown) tray.setImage(images[view.state]);
    shown = view.state;
    tray.setToolTip(`Tingxie — ${l.states[view.state]}`);
    // Earlier dictations still transcribing do not keep the next one from starting.
    const busy = view.state === 'listening';
    const recent: MenuItemConstructorOptions[] = view.recent.length
      ? view.recent.map((text) => ({
          label: text.length > MENU_TEXT_LENGTH ? `${text.slice(0, MENU_TEXT_LENGTH)}…` : text,
          toolTip: l.copyHint,
          click: () => actions.copy(text),
        }))
      : [{ label: l.noTranscripts, enabled: false }];
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: busy ? l.stop : l.start, click: actions.toggleDictation },
        { type: 'separator' },
        {
          label: l.mode,
          submenu: (['hold', 'toggle'] as const).map((mode) => ({
            label: l.modes[mode],
            type: 'radio',
            checked: view.mode === mode,
            click: () => actions.setMode(mode),
          })),
        },
        {
          label: l.output,
          submenu: (['paste', 'type', 'copy'] as const).map((output) => ({
            label: l.outputs[output],
            type: 'radio',
            checked: view.output === output,
            click: () => actions.setOutput(output),
          })),
        },
        { type: 'separator' },
        { label: l.recent, enabled: false },
        ...recent,
        { type: 'separator' },
        { label: l.history, click: actions.openHistory },
        { label: l.settings, click: actions.openSettings },
        { type: 'separator' },
        { label: l.quit, click: actions.quit },
      ]),
    );
  };

  return { update, destroy: () => tray.destroy() };
}
