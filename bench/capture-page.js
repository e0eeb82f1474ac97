// The browser side of bench/capture.bench.ts (a classic script in the bench page).
// The audio path of a dictation — device audio → capture worklet → frames → a MessagePort,
// buffers transferred, as the preload forwards them — fed offline or from the microphone.
/* global AudioContext, AudioWorkletNode, OfflineAudioContext */

/** Connects `source` to the capture worklet; `finish()` flushes it, as stopping does. */
async function capturePath(context, source, args) {
  await context.audioWorklet.addModule(args.worklet);
  const node = new AudioWorkletNode(context, 'tingxie-capture', {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    channelCount: 1,
    channelCountMode: 'explicit',
    processorOptions: { outRate: args.outRate, frameMs: args.frameMs },
  });
  const counts = { frames: 0, samples: 0, gaps: 0 };
  const bridge = new MessageChannel();
  let expected = 0;
  bridge.port2.onmessage = (event) => {
    if (event.data.seq !== expected) counts.gaps++;
    expected = event.data.seq + 1;
    counts.frames++;
    counts.samples += event.data.pcm.length;
  };
  let seq = 0;
  let flushed = () => {};
  node.port.onmessage = (event) => {
    if (event.data.type === 'flushed') flushed();
    if (event.data.type !== 'frame') return;
    const pcm = event.data.pcm;
    bridge.port1.postMessage({ seq: seq++, pcm }, [pcm.buffer]);
  };
  source.connect(node);
  return {
    counts,
    finish: () =>
      new Promise((resolve) => {
        flushed = resolve;
        node.port.postMessage({ type: 'flush' });
        setTimeout(resolve, 500); // a no-op worklet never answers
      }),
  };
}

/** A sine with noise, made once, before anything is measured. */
function makeAudio(args) {
  const data = new Float32Array(args.seconds * args.deviceRate);
  let seed = 1;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[i] =
      0.3 * Math.sin((2 * Math.PI * 220 * i) / args.deviceRate) + 0.1 * (seed / 0x7fffffff - 0.5);
  }
  globalThis.benchAudio = data;
}

/** The audio through an OfflineAudioContext, as fast as it goes. */
async function runOffline(args) {
  const data = globalThis.benchAudio;
  const context = new OfflineAudioContext(1, data.length + args.deviceRate, args.deviceRate);
  const audio = context.createBuffer(1, data.length, args.deviceRate);
  audio.copyToChannel(data, 0);
  const source = context.createBufferSource();
  source.buffer = audio;
  const path = await capturePath(context, source, args);
  source.start();
  const started = performance.now();
  await context.startRendering();
  const renderMs = performance.now() - started;
  await path.finish();
  // Frames still queued on the bridge port arrive after rendering ends.
  const due = (args.seconds * 1000) / args.frameMs;
  const deadline = performance.now() + 10_000;
  while (path.counts.frames < due && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { ...path.counts, renderMs };
}

/** The fake microphone through the worklet, in real time, for `args.seconds`. */
async function runLive(args) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const context = new AudioContext();
  const path = await capturePath(context, context.createMediaStreamSource(stream), args);
  await new Promise((resolve) => setTimeout(resolve, args.seconds * 1000));
  await path.finish();
  stream.getTracks().forEach((t) => t.stop());
  await context.close();
}

globalThis.captureBench = { makeAudio, runOffline, runLive };
