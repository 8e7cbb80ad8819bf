import { type Browser, chromium } from 'playwright-core';

/** Debian's `chromium` package; `.ci/run` installs it when missing. No browser is downloaded. */
export const CHROMIUM_PATH = process.env.OCTOPOID_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for a quiet headless Chromium in a container: no sandbox (CI runs as root), no GPU, and
 * nothing that reaches out on its own. Playwright gives each launch a fresh user-data-dir.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; close it when done. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}
