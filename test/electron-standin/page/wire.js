// Values as text, for the stand-in's two wires: IPC between a page's preload and main, and the
// context bridge between the preload's world and the page's. Runs in the page (injected before
// the stand-in's page scripts) and in Node (test/electron-standin/wire.ts), so it uses only
// what both have. `createWire(refs)` returns { encode, decode }:
//  - IPC (no refs): what Electron's serializer takes — V8's structured clone
//    (shell/common/v8_util.cc V8Serializer): primitives, arrays, plain objects (a class instance
//    loses its prototype), Date, RegExp, Map, Set, ArrayBuffer, typed arrays and Error. A
//    function, a symbol, a promise or a DOM object throws "An object could not be cloned."
//  - Context bridge (refs given): shell/renderer/api/electron_api_context_bridge.cc
//    PassValueToOtherContextInner — functions and promises are proxied (refs.fn / refs.promise
//    give them ids; refs.proxyFn / refs.proxyPromise rebuild them on the other side), an Error
//    becomes a new Error with its message only, plain objects and arrays are copied member by
//    member, anything else is structured-cloned.
function createWire(refs) {
  const VIEWS = [
    'Int8Array',
    'Uint8Array',
    'Uint8ClampedArray',
    'Int16Array',
    'Uint16Array',
    'Int32Array',
    'Uint32Array',
    'Float32Array',
    'Float64Array',
    'BigInt64Array',
    'BigUint64Array',
    'DataView',
  ];
  const cloneError = () => new Error('An object could not be cloned.');
  const toBase64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  const fromBase64 = (text) => {
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  };

  function encode(value, depth = 0) {
    if (depth > 1000) throw new TypeError('Electron contextBridge: too much recursion');
    switch (typeof value) {
      case 'undefined':
        return ['u'];
      case 'boolean':
      case 'string':
        return value;
      case 'number':
        return Number.isFinite(value) && !Object.is(value, -0) ? value : ['n', String(value)];
      case 'bigint':
        return ['bi', String(value)];
      case 'symbol':
        throw cloneError();
      case 'function':
        if (!refs) throw cloneError();
        return ['f', refs.fn(value)];
    }
    if (value === null) return null;
    if (refs && value instanceof Promise) return ['p', refs.promise(value)];
    if (value instanceof Error) return ['e', value.name, String(value.message)];
    if (Array.isArray(value)) return ['a', value.map((v) => encode(v, depth + 1))];
    if (value instanceof Date) return ['d', value.getTime()];
    if (value instanceof RegExp) return ['re', value.source, value.flags];
    if (value instanceof Map) {
      return ['m', [...value].map(([k, v]) => [encode(k, depth + 1), encode(v, depth + 1)])];
    }
    if (value instanceof Set) return ['st', [...value].map((v) => encode(v, depth + 1))];
    if (value instanceof ArrayBuffer) return ['ab', toBase64(new Uint8Array(value))];
    if (ArrayBuffer.isView(value)) {
      const type = VIEWS.find((name) => value instanceof globalThis[name]) ?? 'Uint8Array';
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return ['v', type, toBase64(bytes)];
    }
    if (value instanceof Promise) throw cloneError();
    // A DOM object (an element, a port...) is no plain data: V8's serializer refuses it.
    if (typeof Node !== 'undefined' && value instanceof Node) throw cloneError();
    if (typeof MessagePort !== 'undefined' && value instanceof MessagePort) throw cloneError();
    const out = {};
    for (const key of Object.keys(value)) out[key] = encode(value[key], depth + 1);
    return ['o', out];
  }

  function decode(tree) {
    if (tree === null || typeof tree !== 'object') return tree;
    const [tag, a, b] = tree;
    switch (tag) {
      case 'u':
        return undefined;
      case 'n':
        return Number(a);
      case 'bi':
        return BigInt(a);
      case 'f':
        return refs.proxyFn(a);
      case 'p':
        return refs.proxyPromise(a);
      case 'e': {
        // Across the context bridge only the message survives; IPC keeps the standard name.
        const error = new Error(b);
        if (!refs && a !== 'Error' && typeof globalThis[a] === 'function') {
          Object.setPrototypeOf(error, globalThis[a].prototype);
        }
        return error;
      }
      case 'a':
        return a.map(decode);
      case 'd':
        return new Date(a);
      case 're':
        return new RegExp(a, b);
      case 'm':
        return new Map(a.map(([k, v]) => [decode(k), decode(v)]));
      case 'st':
        return new Set(a.map(decode));
      case 'ab':
        return fromBase64(a).buffer;
      case 'v': {
        const bytes = fromBase64(b);
        const View = globalThis[a];
        const size = View.BYTES_PER_ELEMENT ?? 1;
        return new View(bytes.buffer, 0, a === 'DataView' ? bytes.length : bytes.length / size);
      }
      case 'o': {
        const out = {};
        for (const key of Object.keys(a)) out[key] = decode(a[key]);
        return out;
      }
      default:
        throw new Error(`stand-in wire: unknown tag ${String(tag)}`);
    }
  }

  return { encode, decode };
}
