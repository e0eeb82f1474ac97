// The tray icon: start/stop dictation and show the window, for when the window is hidden.
import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  toggleDictation(): void;
  showWindow(): void;
  quit(): void;
}

export function createTray(iconPath: string, actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  tray.setToolTip('Tingxie');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Start / stop dictation', click: actions.toggleDictation },
      { label: 'Show Tingxie', click: actions.showWindow },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]),
  );
  tray.on('click', actions.showWindow);
  return tray;
}
