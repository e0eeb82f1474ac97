// Init script for the e2e page: keeps each microphone stream reachable, and defines
// `unplugMicrophone()`, which ends the newest track as unplugging the device does.
{
  const streams = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
  globalThis.unplugMicrophone = () => {
    const track = streams.at(-1)?.getAudioTracks()[0];
    if (!track) throw new Error('No microphone is open.');
    track.dispatchEvent(new Event('ended'));
  };
}
