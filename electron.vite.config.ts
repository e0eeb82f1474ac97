// Three builds: main (ESM, Node; with the sherpa-onnx recognizer's process as a second entry),
// preload (CommonJS: sandboxed preloads cannot load ESM) and
// the renderer (Vue). The renderer's CSP is written into index.html here, from the same
// source main sends it from as a header.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/main/content-security-policy.ts';

function cspMetaTag(): Plugin {
  return {
    name: 'tingxie-csp',
    transformIndexHtml(_html, context) {
      const policy = contentSecurityPolicy(context.server !== undefined);
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The local server's sherpa-onnx recognizer runs this file as a process of its own
          // (src/server/engines/sherpa.ts looks for it beside the bundle).
          'sherpa-worker': resolve('src/server/engines/sherpa-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [vue(), cspMetaTag()],
  },
});
