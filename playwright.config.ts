// End-to-end tests (test/e2e): the app's real built main and preload under the Electron
// stand-in (test/electron-standin), its pages in Debian's Chromium, with the app's own local
// server; and the Electron app itself where its binary exists.
// Run: npx playwright test
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  // Real recognizers on two cores: one test at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
