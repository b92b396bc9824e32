// Headless Chromium for the page tests: playwright-core driving Debian's chromium.
import { existsSync, mkdirSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the tests keep their screenshots. */
export const SHOTS = new URL('../test-output/', import.meta.url);

let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {
  // not installed: npm install in clients/js (CI does)
}

/** The reason to skip the page tests, or false. */
export const skip = !playwright || !existsSync(CHROMIUM) ? 'needs playwright-core (npm install) and Chromium at ' + CHROMIUM : false;

export function launchBrowser() {
  mkdirSync(SHOTS, { recursive: true });
  return playwright.chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
