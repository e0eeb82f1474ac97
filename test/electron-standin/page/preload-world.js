// The preload's world: a sandboxed preload as Electron runs it, with context isolation on.
// The stand-in appends a call to this function with the preload's code wrapped in a function
// of the parameters Electron gives it (lib/sandboxed_renderer/preload.ts runPreloadScript:
// require, process, exports, module, Buffer, global, setImmediate, clearImmediate).
//  - `require` knows only what a sandboxed preload may load (lib/sandboxed_renderer/init.ts:
//    electron, electron/common, electron/renderer, events, timers, url, and node: forms);
//    anything else throws "module not found: <name>" (preloadRequire).
//  - `electron` has contextBridge and ipcRenderer (lib/sandboxed_renderer/api/module-list.ts);
//    the others (webFrame, webUtils, nativeImage, crashReporter) throw "not modelled".
//  - ipcRenderer (lib/renderer/api/ipc-renderer.ts): invoke rejects with "Error invoking
//    remote method '<channel>': <error>"; values are structured-cloned (wire.js); postMessage
//    takes only MessagePorts in its transfer list, and hands each to main as a MessagePortMain.
//  - A preload that throws is reported as Electron does ("Unable to load preload script").
function electronStandinPreload(preload, preloadPath, info) {
  const rawData = installPortEnvelope();
  const toMain = globalThis.__electronStandinIpc;
  delete globalThis.__electronStandinIpc;
  const wire = createWire();
  const send = (message) => toMain(JSON.stringify(message));

  class EventEmitter {
    constructor() {
      this._events = new Map();
    }
    on(name, listener) {
      if (!this._events.has(name)) this._events.set(name, []);
      this._events.get(name).push(listener);
      return this;
    }
    addListener(name, listener) {
      return this.on(name, listener);
    }
    once(name, listener) {
      const once = (...args) => {
        this.removeListener(name, once);
        listener(...args);
      };
      once.listener = listener;
      return this.on(name, once);
    }
    removeListener(name, listener) {
      const list = this._events.get(name) ?? [];
      const i = list.findIndex((l) => l === listener || l.listener === listener);
      if (i >= 0) list.splice(i, 1);
      return this;
    }
    off(name, listener) {
      return this.removeListener(name, listener);
    }
    removeAllListeners(name) {
      if (name === undefined) this._events.clear();
      else this._events.delete(name);
      return this;
    }
    listenerCount(name) {
      return (this._events.get(name) ?? []).length;
    }
    emit(name, ...args) {
      const list = [...(this._events.get(name) ?? [])];
      for (const listener of list) listener.apply(this, args);
      return list.length > 0;
    }
  }

  const invokes = new Map();
  const ports = new Map();
  let nextId = 1;
  const notModelled = (name) => {
    throw new Error(`${name} is not modelled by the Electron stand-in`);
  };

  class IpcRenderer extends EventEmitter {
    send(channel, ...args) {
      send({ type: 'send', channel: String(channel), args: wire.encode(args) });
    }
    sendSync() {
      notModelled('ipcRenderer.sendSync');
    }
    sendToHost() {
      notModelled('ipcRenderer.sendToHost');
    }
    async invoke(channel, ...args) {
      const id = nextId++;
      const encoded = wire.encode(args);
      const reply = await new Promise((resolve) => {
        invokes.set(id, resolve);
        send({ type: 'invoke', id, channel: String(channel), args: encoded });
      });
      if (reply.error !== undefined) {
        throw new Error(`Error invoking remote method '${channel}': ${reply.error}`);
      }
      return wire.decode(reply.result);
    }
    postMessage(channel, message, transferables) {
      const list = transferables === undefined ? [] : transferables;
      if (!Array.isArray(list) || list.some((p) => !(p instanceof MessagePort))) {
        throw new TypeError('Invalid value for transfer');
      }
      const encoded = wire.encode(message);
      const ids = list.map((port) => {
        const id = nextId++;
        ports.set(id, port);
        port.onmessage = (event) => {
          const data = rawData.call(event);
          // Electron's main gets null for a message that transferred buffers (ports.js).
          send({
            type: 'port-message',
            port: id,
            data: transferredBuffers(data) ? null : wire.encode(data),
          });
        };
        port.addEventListener('close', () => {
          if (ports.delete(id)) send({ type: 'port-close', port: id });
        });
        return id;
      });
      send({ type: 'post', channel: String(channel), message: encoded, ports: ids });
    }
  }
  const ipcRenderer = new IpcRenderer();

  // Main → this world (the stand-in evaluates this function here).
  Object.defineProperty(globalThis, '__electronStandinDeliver', {
    value(text) {
      const message = JSON.parse(text);
      switch (message.type) {
        case 'reply': {
          const resolve = invokes.get(message.id);
          invokes.delete(message.id);
          resolve?.(message);
          break;
        }
        case 'message':
          ipcRenderer.emit(
            message.channel,
            { sender: ipcRenderer, ports: [] },
            ...wire.decode(message.args),
          );
          break;
        case 'port-post':
          ports.get(message.port)?.postMessage(wire.decode(message.data));
          break;
        case 'port-close': {
          const port = ports.get(message.port);
          ports.delete(message.port);
          port?.close();
          break;
        }
      }
    },
  });

  const bridge = createBridgeEnd('preload', () => {});
  const contextBridge = {
    exposeInMainWorld(key, api) {
      bridge.expose(String(key), api);
    },
    exposeInIsolatedWorld: () => notModelled('contextBridge.exposeInIsolatedWorld'),
    executeInMainWorld: () => notModelled('contextBridge.executeInMainWorld'),
  };
  const electron = {
    contextBridge,
    ipcRenderer,
    get crashReporter() {
      return notModelled('crashReporter');
    },
    get nativeImage() {
      return notModelled('nativeImage');
    },
    get webFrame() {
      return notModelled('webFrame');
    },
    get webUtils() {
      return notModelled('webUtils');
    },
  };
  const events = Object.assign(EventEmitter, { EventEmitter });
  const timers = { setTimeout, clearTimeout, setInterval, clearInterval };
  const setImmediate = (fn, ...args) => setTimeout(fn, 0, ...args);
  const clearImmediate = (id) => clearTimeout(id);
  Object.assign(timers, { setImmediate, clearImmediate });
  const modules = new Map([
    ['electron', electron],
    ['electron/common', electron],
    ['electron/renderer', electron],
    ['events', events],
    ['node:events', events],
    ['timers', timers],
    ['node:timers', timers],
    ['url', { URL, URLSearchParams }],
    ['node:url', { URL, URLSearchParams }],
  ]);
  const require = (name) => {
    if (modules.has(name)) return modules.get(name);
    throw new Error(`module not found: ${name}`);
  };
  const process = Object.assign(new EventEmitter(), info, {
    type: 'renderer',
    sandboxed: true,
    contextIsolated: true,
  });
  const module = { exports: {} };
  send({ type: 'hello', url: location.href });
  try {
    // Buffer: Electron gives sandboxed preloads a shim of it; no preload here uses it.
    preload(
      require,
      process,
      module.exports,
      module,
      undefined,
      globalThis,
      setImmediate,
      clearImmediate,
    );
  } catch (error) {
    console.error(`Unable to load preload script: ${preloadPath}`);
    console.error(error);
    send({
      type: 'preload-error',
      path: preloadPath,
      message: String((error && error.stack) || error),
    });
  }
}
