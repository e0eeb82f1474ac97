// What a rejected call to main says, fit to show: Electron prefixes the message of every
// rejected invoke with "Error invoking remote method '…': Error: ", which means nothing to a
// person.

/** A rejected call's message, without Electron's "Error invoking remote method" prefix. */
export function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '');
}
