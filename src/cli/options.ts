// Option parsers shared by the commands: each rejects bad input with a message a person can act on.
import { InvalidArgumentError } from 'commander';

export function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`Expected one of: ${values.join(', ')}.`);
    }
    return value as T;
  };
}

export function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}
