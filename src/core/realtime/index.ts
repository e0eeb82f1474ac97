// The realtime client: one RealtimeSession per dictation, canonical events out.
export { RealtimeSession, RealtimeError } from './session.ts';
export type { RealtimeSessionOptions, StopResult, TurnResult } from './session.ts';
export { planWire, type WirePlan } from './dialects.ts';
export { parseServerEvent, type WireEvent } from './server-events.ts';
