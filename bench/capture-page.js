// The browser side of bench/capture.bench.ts (a classic script in the bench page).
// The audio path of a dictation as useMicCapture builds it — device audio → capture worklet →
// frames posted by the worklet straight onto an audio port — fed offline or from the
// microphone. As the preload hands one end of the port's channel to main, this page hands it
// to the receiver window (bench/capture-receiver.js), a page of another site and so another
// process, standing in for main.
/* global window, AudioContext, AudioWorkletNode, OfflineAudioContext */

/** The receiving window; openReceiver() opens it once. */
let receiver = null;
/** The live capture, between startLive() and stopLive(). */
let live = null;
/** What the page sees of the capture, as the level meter would. */
const seen = { level: 0, levels: 0, resampler: null };

function openReceiver(url) {
  receiver = window.open(url, 'receiver');
}

/** The one segment (dictation) of a bench run, open from the first sample as a cold
 * microphone's is. */
const SEGMENT = 1;

/** Connects `source` to the capture worklet, posting onto a port whose other end is in the
 * receiver; `finish()` ends the segment, as stopping does, and resolves with the frames sent. */
async function capturePath(context, source, args) {
  await context.audioWorklet.addModule(args.worklet);
  const node = new AudioWorkletNode(context, 'tingxie-capture', {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    channelCount: 1,
    channelCountMode: 'explicit',
    processorOptions: {
      outRate: args.outRate,
      frameMs: args.frameMs,
      holdFrames: Infinity,
      segment: SEGMENT,
      levels: args.levels,
    },
  });
  let ended = () => {};
  const done = new Promise((resolve) => (ended = resolve));
  node.port.onmessage = (event) => {
    if (event.data.type === 'started') {
      seen.resampler = event.data.resampler;
    } else if (event.data.type === 'level') {
      seen.level = event.data.peak;
      seen.levels++;
    } else if (event.data.type === 'ended' && event.data.segment === SEGMENT) {
      ended(event.data.framesSent);
    }
  };
  const { port1, port2 } = new MessageChannel();
  receiver.postMessage({ type: 'tingxie:audio-port' }, '*', [port2]);
  node.port.postMessage({ type: 'send', segment: SEGMENT, port: port1 }, [port1]);
  source.connect(node);
  return {
    finish() {
      node.port.postMessage({ type: 'end', segment: SEGMENT });
      // The no-op worklet never answers: it sent nothing.
      if (!args.answersEnd) return Promise.resolve(0);
      const late = new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error('the worklet did not answer the end of its segment')),
          10_000,
        ),
      );
      return Promise.race([done, late]);
    },
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

/** The audio through an OfflineAudioContext, as fast as it goes; resolves with the frames the
 * worklet says it sent (the receiver counts what arrived) and the time it took. */
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
  const framesSent = await path.finish();
  return { framesSent, renderMs };
}

/** Starts capturing the fake microphone in real time, with the app's default constraints. */
async function startLive(args) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      channelCount: 1,
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    },
  });
  const context = new AudioContext({ latencyHint: 'interactive' });
  const path = await capturePath(context, context.createMediaStreamSource(stream), args);
  if (context.state === 'suspended') await context.resume();
  live = { stream, context, path };
}

/** Resolves, with the audio clock, once the live capture has rendered `seconds` of audio. */
async function untilAudioTime(seconds) {
  const clock = live.context;
  while (clock.currentTime < seconds) {
    await new Promise((resolve) => setTimeout(resolve, (seconds - clock.currentTime) * 1000 + 5));
  }
  return clock.currentTime;
}

/** Stops the live capture as the app does: end the segment, then close; resolves with the frames sent. */
async function stopLive() {
  const framesSent = await live.path.finish();
  live.stream.getTracks().forEach((t) => t.stop());
  await live.context.close();
  live = null;
  return framesSent;
}

globalThis.captureBench = {
  openReceiver,
  makeAudio,
  runOffline,
  startLive,
  untilAudioTime,
  stopLive,
  seen,
};
