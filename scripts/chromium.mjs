// Playwright drives Debian's Chromium (it cannot download its own browser here).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Ensures the browser exists; installs Debian's package as root. Returns { path } or { skipped }. */
export function ensureChromium({ log = console.log } = {}) {
  if (fs.existsSync(CHROMIUM)) return { path: CHROMIUM };
  if (process.getuid?.() !== 0) {
    return {
      skipped: `Chromium is not at ${CHROMIUM} and installing it needs root: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH), then npm test again.`,
    };
  }
  log('Installing Chromium (apt-get install chromium)…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return { path: CHROMIUM };
}
