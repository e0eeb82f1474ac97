// Electron's contextBridge, both ends: the preload's world exposes an API, the page's world
// gets a copy (shell/renderer/api/electron_api_context_bridge.cc). The two worlds share only
// the DOM, so they talk through synchronous CustomEvents on `window` whose detail is text
// (wire.js): a call across is a dispatch, answered by a dispatch before it returns, as a
// bridged function returns synchronously. What it models:
//  - values are copied as they cross (plain objects member by member, arrays element by
//    element), never shared: a change on one side is not seen on the other;
//  - functions and promises are proxied, in both directions (a page's listener passed to the
//    preload is called back in the page);
//  - an error thrown or rejected across keeps its message only (PassValueToOtherContextInner:
//    "Errors aren't serializable"; ProxyFunctionWrapper throws Error(message));
//  - the object exposed in the main world is deep-frozen (DeepFreeze);
//  - values that are neither are structured-cloned: a class instance loses its prototype.
// Not modelled: Elements, Blobs and VideoFrames, which Electron passes by reference.
function createBridgeEnd(side, onExpose) {
  const other = side === 'main' ? 'preload' : 'main';
  const fns = new Map();
  const fnIds = new WeakMap();
  const promises = new Map();
  const exposed = [];
  let next = 1;
  let answer;
  const post = (message) =>
    window.dispatchEvent(
      new CustomEvent(`electron-standin-bridge:${other}`, { detail: JSON.stringify(message) }),
    );
  const errorOf = (reason) =>
    reason instanceof Error
      ? reason
      : new Error(
          'An object was thrown or rejected over the context bridge but it was not actually an Error',
        );
  const wire = createWire({
    fn(f) {
      let id = fnIds.get(f);
      if (!id) {
        id = `${side}:${next++}`;
        fnIds.set(f, id);
        fns.set(id, f);
      }
      return id;
    },
    promise(p) {
      const id = `${side}:${next++}`;
      Promise.resolve(p).then(
        (value) => post({ type: 'settle', id, ok: true, value: wire.encode(value) }),
        (reason) => post({ type: 'settle', id, ok: false, value: wire.encode(errorOf(reason)) }),
      );
      return id;
    },
    proxyFn(id) {
      return function bridged(...args) {
        post({ type: 'call', id, args: args.map((a) => wire.encode(a)) });
        const reply = answer;
        answer = undefined;
        if (!reply) throw new Error('The context bridge did not answer (stand-in).');
        if (reply.threw) throw new Error(reply.message);
        return wire.decode(reply.value);
      };
    },
    proxyPromise(id) {
      return new Promise((resolve, reject) => promises.set(id, { resolve, reject }));
    },
  });
  window.addEventListener(`electron-standin-bridge:${side}`, (event) => {
    event.stopImmediatePropagation();
    const message = JSON.parse(event.detail);
    switch (message.type) {
      case 'hello':
        for (const e of exposed) post(e);
        break;
      case 'expose':
        onExpose(message.key, wire.decode(message.value));
        break;
      case 'call': {
        let reply;
        try {
          const value = fns.get(message.id)(...message.args.map((a) => wire.decode(a)));
          reply = { type: 'answer', value: wire.encode(value) };
        } catch (error) {
          reply = {
            type: 'answer',
            threw: true,
            message:
              error instanceof Error && typeof error.message === 'string'
                ? error.message
                : 'An unknown exception occurred in the isolated context, an error occurred but a valid exception was not thrown.',
          };
        }
        post(reply);
        break;
      }
      case 'answer':
        answer = message;
        break;
      case 'settle': {
        const waiting = promises.get(message.id);
        promises.delete(message.id);
        if (message.ok) waiting.resolve(wire.decode(message.value));
        else waiting.reject(wire.decode(message.value));
        break;
      }
    }
  });
  post({ type: 'hello' });
  return {
    expose(key, api) {
      const message = { type: 'expose', key, value: wire.encode(api) };
      exposed.push(message);
      post(message);
    },
  };
}

/** Object.freeze all the way down, typed arrays aside (DeepFreeze). */
function deepFreeze(value) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  for (const key of Object.keys(value)) deepFreeze(value[key]);
  return Object.freeze(value);
}
