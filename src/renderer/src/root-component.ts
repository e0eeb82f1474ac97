// Which page a window shows: the overlay window loads the same entry with `#overlay` (main
// trusts only that one file), everything else is the app.
import type { Component } from 'vue';
import App from './App.vue';
import OverlayView from './views/OverlayView.vue';

export function rootComponent(hash: string = location.hash): Component {
  return hash === '#overlay' ? OverlayView : App;
}
