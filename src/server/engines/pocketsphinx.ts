// CMU PocketSphinx (Debian: pocketsphinx + pocketsphinx-en-us). Its default US English model
// needs 16 kHz audio; it prints one line of lowercase words per utterance, logs to stderr.
import { devNull } from 'node:os';
import { CommandEngine } from './command.ts';
import { findCommand } from './find-command.ts';

export const POCKETSPHINX_CLI = 'pocketsphinx_continuous';

export function pocketsphinxInstalled(): boolean {
  return findCommand(POCKETSPHINX_CLI) !== undefined;
}

export function pocketsphinxEngine(): CommandEngine {
  return new CommandEngine({
    name: 'pocketsphinx',
    command: [POCKETSPHINX_CLI, '-infile', '{wav}', '-logfn', devNull],
    sampleRate: 16000,
  });
}
