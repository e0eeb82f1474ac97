// Lint with zero warnings. The layering rules below are the project's architecture
// (ARCHITECTURE.md): an import that crosses a layer the wrong way is an error.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

const layer = (name, banned) => ({
  files: [`src/${name}/**/*.{ts,vue}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: banned.map((group) => ({
          group: [group],
          message: `Bad layering: src/${name} may not import this (see docs in README, "Source layout").`,
        })),
      },
    ],
  },
});

const ours = (...layers) => layers.map((l) => `**/${l}/**`);

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The Electron stand-in's page scripts are joined into one script per world
    // (test/electron-standin/host.ts): each file's functions are used by the files after it.
    files: ['test/electron-standin/page/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        ...globals.browser,
        createWire: 'readonly',
        installPortEnvelope: 'readonly',
        transferredBuffers: 'readonly',
        createBridgeEnd: 'readonly',
        deepFreeze: 'readonly',
      },
    },
    rules: {
      'no-redeclare': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          varsIgnorePattern:
            '^(createWire|installPortEnvelope|transferredBuffers|createBridgeEnd|deepFreeze|electronStandinPreload)$',
        },
      ],
    },
  },
  layer('shared', [
    ...ours('core', 'server', 'cli', 'main', 'preload', 'renderer'),
    'electron',
    'node:*',
  ]),
  layer('core', [...ours('server', 'cli', 'main', 'preload', 'renderer'), 'electron']),
  layer('server', [...ours('cli', 'main', 'preload', 'renderer'), 'electron']),
  layer('cli', [...ours('main', 'preload', 'renderer'), 'electron']),
  layer('preload', [...ours('core', 'server', 'cli', 'main', 'renderer')]),
  layer('renderer', [...ours('core', 'server', 'cli', 'main', 'preload'), 'electron', 'node:*']),
  layer('main', [...ours('renderer')]),
);
