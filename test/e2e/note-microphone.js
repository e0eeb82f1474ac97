// Init script for the e2e pages: counts the times the page opens the microphone, in
// `__microphoneOpens`.
{
  globalThis.__microphoneOpens = 0;
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => {
    globalThis.__microphoneOpens++;
    return getUserMedia(constraints);
  };
}
