// Starts an app as Electron's default_app does (default_app/main.ts loadApplicationPackage),
// with the Electron stand-in as its `electron`:
//   node test/electron-standin/launch.ts <app folder> [--switches]
// The folder's package.json gives the name, version and main script; the app path is the
// folder. Then the main script is imported, and once it has run, the app becomes ready.
import { registerHooks } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const standIn = pathToFileURL(join(import.meta.dirname, 'electron.ts')).href;
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'electron' || specifier === 'electron/main')
      return { url: standIn, shortCircuit: true, format: 'module-typescript' };
    return next(specifier, context);
  },
});

const {
  app,
  BrowserWindow,
  _answerOpenDialog,
  _answerSaveDialog,
  _pressShortcut,
  _trayMenu,
  dialog,
} = await import('./electron.ts');
const { onCommand } = await import('./control.ts');

const appDir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as {
  name?: string;
  productName?: string;
  version?: string;
  main?: string;
};
if (pkg.version) app.setVersion(pkg.version);
app.setName(pkg.productName ?? pkg.name ?? 'Electron');
app.setAppPath(appDir);

onCommand((command) => {
  switch (command.type) {
    case 'close-window': {
      const win = BrowserWindow.getAllWindows().find((w) => w.id === command.id);
      if (!win) throw new Error(`No window ${command.id}`);
      win.close();
      return true;
    }
    case 'tray-menu':
      return _trayMenu().labels;
    case 'tray-click':
      return _trayMenu().click(command.label);
    case 'press-shortcut':
      return _pressShortcut(command.accelerator);
    case 'answer-save-dialog':
      return _answerSaveDialog(command.id, command.filePath);
    case 'answer-open-dialog':
      return _answerOpenDialog(command.id, command.filePaths);
    case 'quit':
      app.quit();
      return true;
  }
});

// Electron does not quit on an uncaught exception: it shows it in a dialog
// (lib/browser/init.ts). An unhandled rejection only warns (node's
// --unhandled-rejections=warn-with-error-code, electron_browser_main_parts.cc): the test
// starts this script with that switch.
process.on('uncaughtException', (error) => {
  if (process.listenerCount('uncaughtException') > 1) return;
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  dialog.showErrorBox(
    'A JavaScript error occurred in the main process',
    `Uncaught Exception:\n${stack}`,
  );
});
await import(pathToFileURL(join(appDir, pkg.main ?? 'index.js')).href);
await app._start();
