// The realtime client. One RealtimeSession per dictation: connect(), append() PCM16 frames,
// commit()/clear() in push-to-talk, stop() for the final transcripts, close() to abandon.
// Listeners see canonical events only (src/shared/events.ts); dialects and provider quirks
// stay in this folder.
export { RealtimeSession, RealtimeError } from './session.ts';
export type { RealtimeSessionOptions, StopResult, TurnResult } from './session.ts';
export { planWire, type WirePlan } from './dialects.ts';
export { parseServerEvent, type WireEvent } from './server-events.ts';
