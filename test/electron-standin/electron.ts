// A stand-in for Electron's main-process API, written from Electron's own source, for running
// the app's real built main (out/main/index.js) and preload (out/preload/index.cjs) where
// Electron's binary cannot be had. launch.ts makes `import … from 'electron'` resolve here.
// It is only as kind as Electron: each behaviour that can bite the app is modelled, and names
// the file of electron/electron it follows. Pages run in Chromium (host.ts). The test that
// launched it talks to it over Node's IPC channel (control.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromiumHost, type HostedPage } from './host.ts';
import { report } from './control.ts';
import { wire } from './wire.ts';

const DESTROYED = 'Object has been destroyed';

/** What stays usable once the native object behind a wrapper is gone: its JavaScript side
 * (EventEmitter), `id` (kept at construction, lib/browser/api/browser-window.ts) and
 * isDestroyed(). Every native method and getter throws TypeError("Object has been destroyed")
 * (shell/common/gin_helper/function_template.h). */
function destroyable<T extends object>(target: T, destroyed: () => boolean): T {
  const alive = new Set<PropertyKey>(['id', 'isDestroyed', 'constructor', 'then']);
  return new Proxy(target, {
    get(object, key, receiver) {
      if (
        !destroyed() ||
        alive.has(key) ||
        key in EventEmitter.prototype ||
        String(key).startsWith('_')
      )
        return Reflect.get(object, key, receiver);
      let proto: object | null = object;
      while (proto && !Object.getOwnPropertyDescriptor(proto, key))
        proto = Object.getPrototypeOf(proto);
      const descriptor = proto ? Object.getOwnPropertyDescriptor(proto, key) : undefined;
      if (descriptor?.get) throw new TypeError(DESTROYED);
      if (typeof descriptor?.value === 'function')
        return () => {
          throw new TypeError(DESTROYED);
        };
      return Reflect.get(object, key, receiver);
    },
  });
}

/** An event whose default can be prevented. */
function preventable(extra: object = {}): { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

// ---------------------------------------------------------------------------------------------
// app (lib/browser/api/app.ts, shell/browser/api/electron_api_app.cc)

const host = new ChromiumHost();
const switches = new Map<string, string>();
for (const arg of process.argv.slice(2)) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (m) switches.set(m[1]!, m[2] ?? '');
}

class App extends EventEmitter {
  name = 'Electron';
  private version = '0.0.0';
  private appPath = process.cwd();
  private ready = false;
  private readyPromise: Promise<void>;
  private quitting = false;
  private paths = new Map<string, string>();
  private singleton: Server | undefined;
  commandLine = {
    appendSwitch: (name: string, value = '') => void switches.set(name, value),
    hasSwitch: (name: string) => switches.has(name),
    getSwitchValue: (name: string) => switches.get(name) ?? '',
  };

  constructor() {
    super();
    let resolve!: () => void;
    this.readyPromise = new Promise((r) => (resolve = r));
    this.once('ready', () => resolve());
    // Windows only (electron_api_app.cc builds it under IS_WIN): elsewhere calling it throws.
    if (process.platform !== 'win32')
      Object.defineProperty(this, 'setAppUserModelId', { value: undefined });
  }

  /** Called by launch.ts once the main script has been loaded, as Electron does. */
  async _start(): Promise<void> {
    await host.start(
      join(this.getPath('userData'), 'stand-in-chromium'),
      process.argv.slice(2),
      this._acceptLanguages(),
    );
    this.ready = true;
    this.emit('ready', {}, {});
    report({ type: 'ready', cdpPort: host.cdpPort });
  }

  get isPackaged(): boolean {
    return false;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  getName(): string {
    return this.name;
  }
  setName(name: string): void {
    this.name = name;
  }
  getVersion(): string {
    return this.version;
  }
  setVersion(version: string): void {
    this.version = version;
  }
  getAppPath(): string {
    return this.appPath;
  }
  setAppPath(path: string): void {
    this.appPath = path;
  }
  /** The app locale: --lang, else the OS's first preferred language; 'en-US' where the OS
   * names none ('C'). Chromium settles on a locale it has resources for
   * (l10n_util::GetApplicationLocale, called from electron_browser_main_parts.cc), which
   * turns a bare language into its usual locale. */
  getLocale(): string {
    const wanted = switches.get('lang') || preferredLanguages()[0] || 'en-US';
    return LOCALE_OF_LANGUAGE[wanted] ?? wanted;
  }
  /** What every page gets as navigator.languages: the app locale, then the OS's preferred
   * languages (electron_api_web_contents.cc, accept_languages). */
  _acceptLanguages(): string[] {
    const locale = this.getLocale();
    return [locale, ...preferredLanguages().filter((l) => l !== locale)];
  }
  getPath(name: string): string {
    const known = this.paths.get(name);
    if (known) return known;
    const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
    const paths: Record<string, () => string> = {
      home: () => homedir(),
      appData: () => config,
      // --user-data-dir, else appData/<name> once the name is set (it is read lazily).
      userData: () => switches.get('user-data-dir') || join(config, this.name),
      sessionData: () => this.getPath('userData'),
      temp: () => tmpdir(),
      documents: () => join(homedir(), 'Documents'),
      downloads: () => join(homedir(), 'Downloads'),
      logs: () => join(this.getPath('userData'), 'logs'),
    };
    const path = paths[name]?.();
    if (!path) throw new Error(`Failed to get '${name}' path`);
    this.paths.set(name, path);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }

  /** Chromium's ProcessSingleton: a lock and a socket in the user-data folder. The second
   * instance hands its command line to the first, which emits 'second-instance'. */
  requestSingleInstanceLock(): boolean {
    const dir = this.getPath('userData');
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, 'SingletonLock');
    const socket = join(dir, 'SingletonSocket');
    const holder = existsSync(lock) ? Number(readFileSync(lock, 'utf8')) : 0;
    if (holder && holder !== process.pid && alive(holder)) {
      const script = `const s=require('net').connect(process.argv[1],()=>s.end(process.argv[2]));s.on('close',()=>process.exit(0));s.on('error',()=>process.exit(1));`;
      spawnSync(
        process.execPath,
        ['-e', script, socket, JSON.stringify([process.argv, process.cwd()])],
        { timeout: 5000 },
      );
      return false;
    }
    writeFileSync(lock, String(process.pid));
    rmSync(socket, { force: true });
    this.singleton = createServer((connection) => {
      let text = '';
      connection.on('data', (d) => (text += d));
      connection.on('end', () => {
        const [argv, cwd] = JSON.parse(text) as [string[], string];
        void this.readyPromise.then(() =>
          this.emit('second-instance', preventable(), argv, cwd, {}),
        );
      });
    }).listen(socket);
    this.singleton.unref();
    return true;
  }

  /** before-quit, then every window is closed (one may refuse), then will-quit and quit
   * (docs/api/app.md: "Emitted before the application starts closing its windows"). */
  quit(): void {
    if (this.quitting) return; // one is under way
    const before = preventable();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.quitting = true;
    for (const win of BrowserWindow.getAllWindows()) {
      win.close();
      if (!win.isDestroyed()) {
        this.quitting = false;
        return;
      }
    }
    this.finishQuit();
  }
  private finishQuit(): void {
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false; // the next app.quit() starts over
      return;
    }
    this.emit('quit', preventable(), 0);
    void this.exitWith(0);
  }
  exit(code = 0): void {
    void this.exitWith(code);
  }
  private exiting = false;
  private async exitWith(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    for (const win of BrowserWindow.getAllWindows()) win.destroy();
    this.singleton?.close();
    rmSync(join(this.getPath('userData'), 'SingletonLock'), { force: true });
    await host.close();
    report({ type: 'exit', code });
    process.exit(code);
  }
  /** A window closed: the last one emits window-all-closed, whose default is to quit
   * (docs/api/app.md), unless app.quit() is what closes them. */
  _windowClosed(): void {
    if (BrowserWindow.getAllWindows().length > 0 || this.quitting) return;
    if (this.listenerCount('window-all-closed') === 0) this.quit();
    else this.emit('window-all-closed');
  }
}

/** The OS's preferred languages on Linux: glib's g_get_language_names() (LANGUAGE, a list,
 * else the first of LC_ALL, LC_MESSAGES and LANG), each with and without its territory, in
 * Chromium's spelling; 'C' is none (shell/common/language_util_linux.cc). */
function preferredLanguages(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = (name: string) => env[name] || undefined;
  const names =
    value('LANGUAGE')?.split(':') ??
    [value('LC_ALL') ?? value('LC_MESSAGES') ?? value('LANG') ?? ''].filter(Boolean);
  const languages: string[] = [];
  for (const name of names) {
    const [language, territory] = name.split(/[.@]/)[0]!.split('_');
    if (!language || language === 'C' || language === 'POSIX') continue;
    for (const l of territory ? [`${language}-${territory}`, language] : [language])
      if (!languages.includes(l)) languages.push(l);
  }
  return languages;
}
/** Chromium's locale for a bare language (ui/base/l10n/l10n_util.cc), for those a test uses. */
const LOCALE_OF_LANGUAGE: Record<string, string> = { en: 'en-US', zh: 'zh-CN', pt: 'pt-BR' };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const app = new App();

// ---------------------------------------------------------------------------------------------
// ipcMain and MessagePortMain (lib/browser/ipc-main-impl.ts, lib/browser/ipc-dispatch.ts,
// lib/browser/message-port-main.ts, shell/browser/api/message_port.cc)

class IpcMainImpl extends EventEmitter {
  readonly _invokeHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  constructor() {
    super();
    this.on('error', () => {});
  }
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this._invokeHandlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    if (typeof fn !== 'function')
      throw new TypeError(`Expected handler to be a function, but found type '${typeof fn}'`);
    this._invokeHandlers.set(channel, fn);
  }
  handleOnce(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown): void {
    this.handle(channel, (e, ...args) => {
      this.removeHandler(channel);
      return fn(e, ...args);
    });
  }
  removeHandler(channel: string): void {
    this._invokeHandlers.delete(channel);
  }
}
export const ipcMain = new IpcMainImpl();

/** Main's end of a port whose other end is in a page. Messages wait until start()
 * (message_port.cc: the receiver is only read once started); 'close' when the page's end goes. */
export class MessagePortMain extends EventEmitter {
  private started = false;
  private closed = false;
  private queue: unknown[] = [];
  private readonly page: HostedPage;
  private readonly contextId: number;
  readonly _id: number;
  constructor(page: HostedPage, contextId: number, id: number) {
    super();
    this.page = page;
    this.contextId = contextId;
    this._id = id;
  }
  start(): void {
    this.started = true;
    for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] });
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.page.deliver(this.contextId, { type: 'port-close', port: this._id });
    report({ type: 'port-closed', port: this._id, by: 'main' });
    this.emit('close');
  }
  postMessage(message: unknown, transfer?: unknown[]): void {
    if (this.closed) return;
    if (transfer?.length) throw new Error('Transferring from main is not modelled by the stand-in');
    this.page.deliver(this.contextId, {
      type: 'port-post',
      port: this._id,
      data: wire.encode(message),
    });
  }
  _receive(data: unknown): void {
    if (this.closed) return;
    report({
      type: 'port-message',
      port: this._id,
      data: data === null ? 'null' : typeof data,
      // The message as main got it (wire.decode in the test reads it).
      value: data === null ? null : wire.encode(data),
    });
    if (this.started) this.emit('message', { data, ports: [] });
    else this.queue.push(data);
  }
  _remoteClosed(): void {
    if (this.closed) return;
    this.closed = true;
    report({ type: 'port-closed', port: this._id, by: 'page' });
    this.emit('close');
  }
}

// ---------------------------------------------------------------------------------------------
// webContents and BrowserWindow (lib/browser/api/web-contents.ts, browser-window.ts,
// base-window.ts; docs/api/browser-window.md)

let nextContentsId = 1;

interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
}

export class WebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly ipc = new IpcMainImpl();
  _destroyed = false;
  _hosted: HostedPage | undefined;
  _opening: Promise<HostedPage>;
  /** The preload world of the document now loaded, and its URL. */
  _contextId = 0;
  _url = '';
  private ports = new Map<number, MessagePortMain>();
  private openHandler: ((details: { url: string }) => { action: string }) | undefined;

  constructor(preferences: WebPreferences, size: { width: number; height: number }) {
    super();
    if (
      preferences.contextIsolation === false ||
      preferences.sandbox === false ||
      preferences.nodeIntegration
    )
      throw new Error('The Electron stand-in models only sandboxed, context-isolated pages.');
    const preload = preferences.preload
      ? { path: preferences.preload, code: readFileSync(preferences.preload, 'utf8') }
      : undefined;
    this._opening = host.open(preload, size, {
      onMessage: (message, contextId) => this.onMessage(message, contextId),
      onContextGone: (contextId) => {
        if (contextId !== -1 && contextId !== this._contextId) return;
        this._contextId = 0;
        for (const port of this.ports.values()) port._remoteClosed();
        this.ports.clear();
      },
      onLoad: () => {
        this.emit('did-finish-load');
      },
    });
    void this._opening.then((hosted) => {
      this._hosted = hosted;
      // setWindowOpenHandler runs before any window exists, with the URL the page asked for
      // (WebContents::OnCreateWindow → lib/browser/guest-window-manager.ts); Chromium's
      // Page.windowOpen says the same, before the popup loads anything. 'deny' means no window:
      // Chromium still makes the popup here, so it is closed at once.
      const denied: boolean[] = [];
      hosted.cdp.on('Page.windowOpen', ({ url }: { url: string }) => {
        denied.push((this.openHandler?.({ url }).action ?? 'allow') === 'deny');
      });
      hosted.page.on('popup', (popup) => {
        if (denied.shift() ?? false) void popup.close();
      });
    });
  }

  private onMessage(message: Record<string, unknown>, contextId: number): void {
    if (this._destroyed) return;
    if (message.type === 'hello') {
      this._contextId = contextId;
      this._url = String(message.url);
      return;
    }
    if (contextId !== this._contextId) return; // an earlier document's
    const hosted = this._hosted!;
    const frameUrl = this._url;
    // event.senderFrame is null once the frame that sent it has navigated away
    // (docs/api/structures/ipc-main-event.md).
    const senderFrame = () =>
      this._contextId === contextId
        ? { url: frameUrl, parent: null, top: null, processId: 1, routingId: 1 }
        : null;
    const event = (extra: object = {}) => {
      const e = { type: 'frame', sender: this, processId: 1, frameId: 1, ...extra };
      Object.defineProperty(e, 'senderFrame', { get: senderFrame, enumerable: true });
      return e as Record<string, unknown>;
    };
    const emitters = [this.ipc, ipcMain];
    switch (message.type) {
      case 'invoke': {
        const channel = String(message.channel);
        // The arguments as they crossed (wire.decode in the test reads them).
        report({ type: 'invoke', webContents: this.id, channel, args: message.args });
        const args = wire.decode(message.args) as unknown[];
        const reply = (body: object) =>
          hosted.deliver(contextId, { type: 'reply', id: message.id, ...body });
        const target = emitters.find((e) => e._invokeHandlers.has(channel));
        if (!target) {
          reply({ error: `Error: No handler registered for '${channel}'` });
          return;
        }
        const e = event();
        void (async () => {
          try {
            const result = await target._invokeHandlers.get(channel)!(e, ...args);
            reply({ result: wire.encode(result) });
          } catch (err) {
            console.error(`Error occurred in handler for '${channel}':`, err);
            reply({ error: String(err) });
          }
        })();
        return;
      }
      case 'send': {
        const args = wire.decode(message.args) as unknown[];
        const e = event({ reply: (ch: string, ...a: unknown[]) => this.send(ch, ...a) });
        this.emit('ipc-message', e, message.channel, ...args);
        for (const emitter of emitters) emitter.emit(String(message.channel), e, ...args);
        return;
      }
      case 'post': {
        const ports = (message.ports as number[]).map((id) => {
          const port = new MessagePortMain(hosted, contextId, id);
          this.ports.set(id, port);
          report({
            type: 'port-opened',
            port: id,
            webContents: this.id,
            channel: message.channel,
            message: message.message,
          });
          return port;
        });
        const e = event({ ports });
        for (const emitter of emitters)
          emitter.emit(String(message.channel), e, wire.decode(message.message));
        return;
      }
      case 'port-message': {
        const data = message.data === null ? null : wire.decode(message.data);
        this.ports.get(Number(message.port))?._receive(data);
        return;
      }
      case 'port-close': {
        this.ports.get(Number(message.port))?._remoteClosed();
        this.ports.delete(Number(message.port));
        return;
      }
      case 'preload-error':
        this.emit('preload-error', preventable(), message.path, new Error(String(message.message)));
        report({ type: 'preload-error', message: message.message });
        return;
    }
  }

  isDestroyed(): boolean {
    return this._destroyed;
  }
  /** To the page's preload world, if a document is there; dropped otherwise. */
  send(channel: string, ...args: unknown[]): void {
    const encoded = wire.encode(args); // throws "An object could not be cloned." as Electron
    report({
      type: 'sent',
      webContents: this.id,
      channel,
      args: JSON.parse(JSON.stringify(args)) as unknown,
    });
    if (this._hosted && this._contextId)
      this._hosted.deliver(this._contextId, { type: 'message', channel, args: encoded });
  }
  getURL(): string {
    return this._url;
  }
  async loadURL(url: string): Promise<void> {
    const hosted = await this._opening;
    if (this._destroyed) return;
    await hosted.page.goto(url);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  _destroy(): void {
    if (this._destroyed) return;
    this._destroyed = true;
    for (const port of this.ports.values()) port._remoteClosed();
    this.emit('destroyed');
    void this._opening.then((hosted) => hosted.page.close().catch(() => {}));
  }
}

let nextWindowId = 1;
const windows = new Set<BrowserWindow>();
let focusedWindow: BrowserWindow | undefined;

interface WindowOptions {
  width?: number;
  height?: number;
  show?: boolean;
  focusable?: boolean;
  title?: string;
  webPreferences?: WebPreferences;
  [key: string]: unknown;
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows(): BrowserWindow[] {
    return [...windows];
  }

  readonly id = nextWindowId++;
  _contents: WebContents;
  _destroyed = false;
  _visible = false;
  _minimized = false;
  _title: string;
  _focusable: boolean;
  _readyToShow = false;

  constructor(options: WindowOptions = {}) {
    super();
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    const self = destroyable(this, () => this._destroyed);
    this._title = options.title ?? 'Electron';
    this._focusable = options.focusable !== false;
    const contents = new WebContents(options.webPreferences ?? {}, {
      width: options.width ?? 800,
      height: options.height ?? 600,
    });
    this._contents = destroyable(contents, () => contents._destroyed);
    this._contents.on('did-finish-load', () => {
      if (this._readyToShow) return;
      this._readyToShow = true;
      self.emit('ready-to-show');
    });
    windows.add(self);
    report({ type: 'window', id: this.id, webContents: this._contents.id, title: this._title });
    if (options.show !== false) self.show();
    return self;
  }

  get webContents(): WebContents {
    return this._contents;
  }
  isDestroyed(): boolean {
    return this._destroyed;
  }
  show(): void {
    this.showInactive();
    this.focus();
  }
  showInactive(): void {
    if (!this._visible) {
      this._visible = true;
      this._minimized = false;
      this.emit('show');
    }
  }
  hide(): void {
    if (!this._visible) return;
    this._visible = false;
    this.blur();
    this.emit('hide');
  }
  focus(): void {
    if (!this._focusable || focusedWindow === this) return;
    focusedWindow?.blur();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the window is the focused one
    focusedWindow = this;
    report({ type: 'window-focus', id: this.id });
    this.emit('focus');
  }
  blur(): void {
    if (focusedWindow !== this) return;
    focusedWindow = undefined;
    this.emit('blur');
  }
  isFocused(): boolean {
    return focusedWindow === this;
  }
  isVisible(): boolean {
    return this._visible && !this._minimized;
  }
  minimize(): void {
    this._minimized = true;
    this.blur();
    this.emit('minimize');
  }
  isMinimized(): boolean {
    return this._minimized;
  }
  restore(): void {
    if (!this._minimized) return;
    this._minimized = false;
    this.emit('restore');
  }
  /** As the window's close button: 'close' may be prevented; else the window is destroyed. */
  close(): void {
    const event = preventable();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  /** No 'close', but 'closed' always (docs/api/browser-window.md win.destroy()). */
  destroy(): void {
    if (this._destroyed) return;
    this.blur();
    this._destroyed = true;
    this._visible = false;
    this._contents._destroy();
    windows.delete(this);
    report({ type: 'window-closed', id: this.id });
    this.emit('closed');
    app._windowClosed();
  }
  loadURL(url: string): Promise<void> {
    return this._contents.loadURL(url);
  }
  getTitle(): string {
    return this._title;
  }
  setTitle(title: string): void {
    this._title = title;
  }
  setPosition(): void {}
  setAlwaysOnTop(): void {}
  setVisibleOnAllWorkspaces(): void {}
  setIgnoreMouseEvents(): void {}
}

// ---------------------------------------------------------------------------------------------
// The rest, as far as Tingxie uses it.

export const session = {
  defaultSession: {
    // A file:// page gets no response headers, so Electron never calls this for the app's
    // own page (its CSP comes from the <meta> tag); http pages are not modelled.
    webRequest: { onHeadersReceived: () => {} },
    // Not modelled: Chromium's fake-UI switch answers the microphone request.
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
  },
};

export const screen = {
  getCursorScreenPoint: () => ({ x: 0, y: 0 }),
  getDisplayNearestPoint: () => display,
};
const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1280, height: 800 },
  workArea: { x: 0, y: 0, width: 1280, height: 760 },
  scaleFactor: 1,
};

export const nativeImage = {
  createFromPath: (path: string) => ({ path, isEmpty: () => !existsSync(path) }),
};

interface MenuItem {
  label?: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItem[];
}
export const Menu = {
  buildFromTemplate: (items: MenuItem[]) => ({ items }),
};

/** The tray icon; the test reads its menu and clicks its items (control.ts). */
let currentTray: Tray | undefined;
export class Tray extends EventEmitter {
  _menu: MenuItem[] = [];
  _tooltip = '';
  _destroyed = false;
  constructor(_image: unknown) {
    super();
    // A desktop without a status area (ELECTRON_STANDIN_NO_TRAY) refuses it.
    if (process.env.ELECTRON_STANDIN_NO_TRAY)
      throw new Error('No status area to show a tray icon in');
    const tray = destroyable(this, () => this._destroyed);
    currentTray = tray;
    return tray;
  }
  setImage(): void {}
  setToolTip(text: string): void {
    this._tooltip = text;
  }
  setContextMenu(menu: { items: MenuItem[] }): void {
    this._menu = menu.items;
  }
  isDestroyed(): boolean {
    return this._destroyed;
  }
  destroy(): void {
    this._destroyed = true;
    if (currentTray === this) currentTray = undefined;
  }
}
/** The tray menu's labels, and a click on one (nested with ' > '). */
export function _trayMenu(): { labels: string[]; click(label: string): boolean } {
  const flat = (items: MenuItem[], prefix = ''): [string, MenuItem][] =>
    items.flatMap((i) => [
      [prefix + (i.label ?? ''), i] as [string, MenuItem],
      ...(i.submenu ? flat(i.submenu, `${prefix}${i.label ?? ''} > `) : []),
    ]);
  const items = currentTray ? flat(currentTray._menu) : [];
  return {
    labels: items.map(([l]) => l).filter(Boolean),
    click(label) {
      const item = items.find(([l]) => l === label)?.[1];
      if (!item?.click || item.enabled === false) return false;
      item.click();
      return true;
    },
  };
}

// globalShortcut (shell/browser/api/electron_api_global_shortcut.cc). Accelerators are
// compared as keys, not as text: 'CommandOrControl+Shift+Space' is 'Shift+Ctrl+Space' here
// (shell/common/gin_converters/accelerator_converter.cc parses both to one ui::Accelerator).
// Register returns false for one already registered, and for one another application holds
// (GlobalAcceleratorListener::RegisterAccelerator fails: on X11 the key grab is refused); the
// test names those in ELECTRON_STANDIN_TAKEN_SHORTCUTS (comma-separated). A registered one's
// callback runs, with no arguments, when the test presses it (control.ts press-shortcut).
const MODIFIERS: Record<string, string> = {
  commandorcontrol: process.platform === 'darwin' ? 'cmd' : 'ctrl',
  cmdorctrl: process.platform === 'darwin' ? 'cmd' : 'ctrl',
  command: 'cmd',
  cmd: 'cmd',
  control: 'ctrl',
  ctrl: 'ctrl',
  alt: 'alt',
  option: 'alt',
  altgr: 'altgr',
  shift: 'shift',
  super: 'super',
  meta: 'super',
};
function acceleratorKey(accelerator: string): string {
  const parts = accelerator.split('+').map((p) => p.trim().toLowerCase());
  const key = parts.pop() ?? '';
  const modifiers = [...new Set(parts.map((p) => MODIFIERS[p] ?? p))].sort();
  return [...modifiers, key].join('+');
}
const takenShortcuts = new Set(
  (process.env.ELECTRON_STANDIN_TAKEN_SHORTCUTS ?? '')
    .split(',')
    .filter((a) => a.trim())
    .map(acceleratorKey),
);
const shortcuts = new Map<string, () => void>();
export const globalShortcut = {
  register(accelerator: string, callback: () => void): boolean {
    if (!app.isReady()) throw new Error('globalShortcut cannot be used before the app is ready');
    const key = acceleratorKey(accelerator);
    if (shortcuts.has(key) || takenShortcuts.has(key)) return false;
    shortcuts.set(key, callback);
    return true;
  },
  unregister: (accelerator: string) => void shortcuts.delete(acceleratorKey(accelerator)),
  unregisterAll: () => shortcuts.clear(),
  isRegistered: (accelerator: string) => shortcuts.has(acceleratorKey(accelerator)),
};
/** A press of `accelerator` anywhere on the desktop: false when Tingxie does not hold it (the
 * focused application gets the key). */
export function _pressShortcut(accelerator: string): boolean {
  const callback = shortcuts.get(acceleratorKey(accelerator));
  callback?.();
  return callback !== undefined;
}

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  private readonly options: { title?: string; body?: string };
  constructor(options: { title?: string; body?: string }) {
    super();
    this.options = options;
  }
  show(): void {
    report({ type: 'notification', title: this.options.title, body: this.options.body });
  }
}

export const systemPreferences = {
  isTrustedAccessibilityClient: () => true,
};

// dialog (lib/browser/api/dialog.ts; on Linux shell/browser/ui/file_dialog_linux.cc).
// showSaveDialog checks its options as Electron does, then the dialog is open until the test
// answers it as a person would (control.ts answer-save-dialog): a path it chose, or none (the
// person cancelled). The stand-in reports each dialog with what it shows. The path comes back
// as chosen: on Linux Electron asks for no default extension (file_dialog_linux.cc
// RunSaveDialogImpl), so none is added here either.
interface SaveDialogOptions {
  title?: unknown;
  buttonLabel?: unknown;
  defaultPath?: unknown;
  message?: unknown;
  nameFieldLabel?: unknown;
  filters?: { name: string; extensions: string[] }[];
  properties?: string[];
}
interface SaveDialogReturnValue {
  canceled: boolean;
  filePath: string;
}
let nextDialogId = 1;
const openSaveDialogs = new Map<number, (value: SaveDialogReturnValue) => void>();
function showSaveDialog(
  windowOrOptions?: BrowserWindow | SaveDialogOptions,
  maybeOptions?: SaveDialogOptions,
): Promise<SaveDialogReturnValue> {
  const isWindow = windowOrOptions instanceof BrowserWindow;
  const window = windowOrOptions && !isWindow ? null : (windowOrOptions as BrowserWindow | null);
  let options = windowOrOptions && !isWindow ? windowOrOptions : maybeOptions;
  if (!app.isReady()) throw new Error('dialog module can only be used after app is ready');
  if (options == null) options = { title: 'Save' };
  const {
    buttonLabel = '',
    defaultPath = '',
    filters = [],
    title = '',
    message = '',
    nameFieldLabel = '',
  } = options;
  if (typeof title !== 'string') throw new TypeError('Title must be a string');
  if (typeof buttonLabel !== 'string') throw new TypeError('Button label must be a string');
  if (typeof defaultPath !== 'string') throw new TypeError('Default path must be a string');
  if (typeof message !== 'string') throw new TypeError('Message must be a string');
  if (typeof nameFieldLabel !== 'string') throw new TypeError('Name field label must be a string');
  const id = nextDialogId++;
  report({
    type: 'save-dialog',
    id,
    window: window?.id ?? null,
    title,
    defaultPath,
    filters: JSON.parse(JSON.stringify(filters)) as unknown,
  });
  return new Promise((resolve) => openSaveDialogs.set(id, resolve));
}
/** The person answers save dialog `id`: with the path they chose, or none (Cancel). */
export function _answerSaveDialog(id: number, filePath?: string): boolean {
  const resolve = openSaveDialogs.get(id);
  if (!resolve) return false;
  openSaveDialogs.delete(id);
  // FileSelected / FileSelectionCanceled: a cancel's path is an empty base::FilePath.
  resolve(
    filePath === undefined ? { canceled: true, filePath: '' } : { canceled: false, filePath },
  );
  return true;
}

// showOpenDialog (the same file's openDialog): options checked as Electron does, then open
// until the test answers with the paths chosen, or none (Cancel: file_dialog_linux.cc answers
// `canceled: true` with an empty `filePaths`).
interface OpenDialogOptions {
  title?: unknown;
  buttonLabel?: unknown;
  defaultPath?: unknown;
  message?: unknown;
  filters?: { name: string; extensions: string[] }[];
  properties?: unknown;
}
interface OpenDialogReturnValue {
  canceled: boolean;
  filePaths: string[];
}
const openOpenDialogs = new Map<number, (value: OpenDialogReturnValue) => void>();
function showOpenDialog(
  windowOrOptions?: BrowserWindow | OpenDialogOptions,
  maybeOptions?: OpenDialogOptions,
): Promise<OpenDialogReturnValue> {
  const isWindow = windowOrOptions instanceof BrowserWindow;
  const window = windowOrOptions && !isWindow ? null : (windowOrOptions as BrowserWindow | null);
  let options = windowOrOptions && !isWindow ? windowOrOptions : maybeOptions;
  if (!app.isReady()) throw new Error('dialog module can only be used after app is ready');
  if (options == null) options = { title: 'Open', properties: ['openFile'] };
  const {
    buttonLabel = '',
    defaultPath = '',
    filters = [],
    properties = ['openFile'],
    title = '',
    message = '',
  } = options;
  if (!Array.isArray(properties)) throw new TypeError('Properties must be an array');
  if (typeof title !== 'string') throw new TypeError('Title must be a string');
  if (typeof buttonLabel !== 'string') throw new TypeError('Button label must be a string');
  if (typeof defaultPath !== 'string') throw new TypeError('Default path must be a string');
  if (typeof message !== 'string') throw new TypeError('Message must be a string');
  const id = nextDialogId++;
  report({
    type: 'open-dialog',
    id,
    window: window?.id ?? null,
    title,
    properties: [...(properties as string[])],
    filters: JSON.parse(JSON.stringify(filters)) as unknown,
  });
  return new Promise((resolve) => openOpenDialogs.set(id, resolve));
}
/** The person answers open dialog `id`: with the paths they chose, or none (Cancel). */
export function _answerOpenDialog(id: number, filePaths?: string[]): boolean {
  const resolve = openOpenDialogs.get(id);
  if (!resolve) return false;
  openOpenDialogs.delete(id);
  resolve(
    filePaths === undefined || filePaths.length === 0
      ? { canceled: true, filePaths: [] }
      : { canceled: false, filePaths },
  );
  return true;
}

export const dialog = {
  showSaveDialog,
  showOpenDialog,
  showErrorBox: (title: string, content: string) => report({ type: 'error-box', title, content }),
};

export const shell = {
  openExternal: async (url: string) => void report({ type: 'open-external', url }),
};

/** safeStorage with the keychain of a test: reversible, never the plain text. Linux without a
 * keychain ("basic_text") is ELECTRON_STANDIN_BASIC_TEXT. */
const seal = (text: string) => Buffer.from(`sealed:${Buffer.from(text).toString('base64')}`);
const unseal = (cipher: Buffer) => {
  const text = cipher.toString();
  if (!text.startsWith('sealed:'))
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  return Buffer.from(text.slice(7), 'base64').toString();
};
export const safeStorage = {
  isEncryptionAvailable: () => app.isReady(),
  getSelectedStorageBackend: () =>
    process.env.ELECTRON_STANDIN_BASIC_TEXT ? 'basic_text' : 'gnome_libsecret',
  isAsyncEncryptionAvailable: async () => app.isReady(),
  encryptStringAsync: async (text: string) => seal(text),
  decryptStringAsync: async (cipher: Buffer) => ({
    result: unseal(cipher),
    shouldReEncrypt: false,
  }),
};

/** The X11 clipboard (Electron's on Linux), through xclip. Text and HTML only. */
const xclip = (args: string[], input?: string): string => {
  try {
    return execFileSync('xclip', ['-selection', 'clipboard', ...args], {
      input,
      encoding: 'utf8',
      stdio: input === undefined ? ['ignore', 'pipe', 'ignore'] : ['pipe', 'ignore', 'ignore'],
      timeout: 5000,
    });
  } catch {
    return '';
  }
};
export class ClipboardItem {
  readonly _items: Record<string, Blob>;
  constructor(items: Record<string, Blob>) {
    this._items = items;
  }
  get types(): string[] {
    return Object.keys(this._items);
  }
  async getType(type: string): Promise<Blob> {
    const blob = this._items[type];
    if (!blob) throw new Error(`No data of type ${type}`);
    return blob;
  }
}
export const clipboard = {
  readText: () => xclip(['-o']),
  writeText: (text: string) => void xclip(['-i'], text),
  clear: () => void xclip(['-i'], ''),
  async read(): Promise<ClipboardItem[]> {
    const targets = xclip(['-o', '-t', 'TARGETS']).split('\n');
    const items: Record<string, Blob> = {};
    if (targets.includes('UTF8_STRING') || targets.includes('STRING'))
      items['text/plain'] = new Blob([xclip(['-o'])], { type: 'text/plain' });
    if (targets.includes('text/html'))
      items['text/html'] = new Blob([xclip(['-o', '-t', 'text/html'])], { type: 'text/html' });
    return Object.keys(items).length ? [new ClipboardItem(items)] : [];
  },
  async write(items: ClipboardItem[]): Promise<void> {
    const plain = items[0]?._items['text/plain'];
    xclip(['-i'], plain ? await plain.text() : '');
  },
};

export default {
  app,
  BrowserWindow,
  ClipboardItem,
  Menu,
  MessagePortMain,
  Notification,
  Tray,
  clipboard,
  dialog,
  globalShortcut,
  ipcMain,
  nativeImage,
  safeStorage,
  screen,
  session,
  shell,
  systemPreferences,
};
