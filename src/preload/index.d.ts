// The renderer's view of the bridge: types only, never the preload's code.
import type { TingxieApi } from '../shared/ipc.ts';

declare global {
  interface Window {
    tingxie: TingxieApi;
  }
}

export {};
