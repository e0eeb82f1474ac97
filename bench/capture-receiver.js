// The receiving end for bench/capture.bench.ts: a page of another site (so Chromium runs it in
// another process), standing in for Electron's main, which holds the audio port's other end
// in the app. It counts the frames of the latest port and checks their sequence numbers.
/* global window */
globalThis.receiverStats = { frames: 0, samples: 0, gaps: 0 };

window.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!port) return;
  const stats = { frames: 0, samples: 0, gaps: 0 };
  globalThis.receiverStats = stats;
  let expected = 0;
  port.onmessage = ({ data }) => {
    if (data.seq !== expected) stats.gaps++;
    expected = data.seq + 1;
    stats.frames++;
    stats.samples += data.pcm.length;
  };
});
