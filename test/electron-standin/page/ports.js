// MessagePorts whose far end is Electron's main process. A message posted there with
// ArrayBuffers in its transfer list reaches main without its data: main's MessagePortMain
// deserializes the message with V8's ValueDeserializer and never hands it the transferred
// buffers (shell/browser/api/message_port.cc MessagePort::Accept → DeserializeV8Value,
// shell/common/v8_util.cc V8Deserializer: ReadValue fails, the event's data is null;
// electron/electron issue 34905). The sender's buffer is detached all the same.
// A renderer-side port cannot know where its peer lives, so this runs in every context of the
// page (its world, the preload's world, every worklet): a message that transfers an
// ArrayBuffer travels in an envelope, `event.data` unwraps it for every receiver in the page,
// and the stand-in's end of a port bound for main (preload-world.js) reads the envelope with
// the getter returned here and delivers what Electron would: null.
function installPortEnvelope() {
  const KEY = '__electronStandinTransferredBuffers';
  const dataGetter = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data').get;
  if (typeof MessagePort === 'undefined' || MessagePort.prototype[KEY]) return dataGetter;
  const post = MessagePort.prototype.postMessage;
  Object.defineProperty(MessagePort.prototype, KEY, { value: true });
  MessagePort.prototype.postMessage = function postMessage(message, transferOrOptions) {
    const transfer = Array.isArray(transferOrOptions)
      ? transferOrOptions
      : transferOrOptions && transferOrOptions.transfer;
    const buffers = Array.isArray(transfer) && transfer.some((t) => t instanceof ArrayBuffer);
    if (!buffers) return post.apply(this, arguments);
    return post.call(this, { [KEY]: true, message }, transferOrOptions);
  };
  Object.defineProperty(MessageEvent.prototype, 'data', {
    configurable: true,
    enumerable: true,
    get() {
      const data = dataGetter.call(this);
      return data !== null && typeof data === 'object' && data[KEY] === true ? data.message : data;
    },
  });
  return dataGetter;
}

/** Whether raw message data (read with the getter installPortEnvelope returned) came with
 * transferred buffers. */
function transferredBuffers(data) {
  return (
    data !== null && typeof data === 'object' && data.__electronStandinTransferredBuffers === true
  );
}
