// What every e2e spec shares: Playwright's test and expect, Debian's Chromium, and the folder
// the screenshots of every view go to. The app itself is started by each spec: under the
// Electron stand-in (standin-app.ts), or as Electron where its binary exists (electron.spec.ts).
import { test as base } from '@playwright/test';
import { join } from 'node:path';

export { CHROMIUM } from '../helpers/chromium.ts';
export const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots');

export const test = base;
export { expect } from '@playwright/test';
