// The page's own world: what Electron adds there is only what the preload exposed through the
// context bridge (bridge.js), and nothing of Node or Electron. Also installs the port envelope
// (ports.js) so that a message this world posts toward main arrives as main would get it.
(function electronStandinMainWorld() {
  installPortEnvelope();
  createBridgeEnd('main', (key, api) => {
    if (key in window)
      throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    Object.defineProperty(window, key, { value: deepFreeze(api), enumerable: true });
  });
})();
