// Identifiers in the style of OpenAI's realtime API (`sess_…`, `item_…`, `event_…`).
import { randomBytes } from 'node:crypto';

export interface IdFactory {
  session(): string;
  item(): string;
  event(): string;
}

export function createIds(): IdFactory {
  // Event ids only need to be unique per server: a random prefix and a counter are enough.
  const prefix = randomBytes(4).toString('hex');
  let events = 0;
  const random = (tag: string) => `${tag}_${randomBytes(10).toString('hex')}`;
  return {
    session: () => random('sess'),
    item: () => random('item'),
    event: () => `event_${prefix}${(++events).toString(36)}`,
  };
}
