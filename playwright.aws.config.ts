import { defineConfig } from '@playwright/test';
import base from './playwright.config';
import { E2E_BASE_URL, E2E_PORT } from './e2e/fixtures/constants';

// The same production build as the sandbox suite (`next build`, served by `next start` as the
// Dockerfile does), in aws mode against moto (e2e/serve-aws.ts). Specs share one emulator account
// and the reconciler's "a second run finds nothing" needs no grant mid-flight in another spec:
// they run one at a time. `npm test` runs it when moto is installed and prints why it skips if not.
export default defineConfig({
  ...base,
  testDir: './e2e/aws',
  testIgnore: [],
  fullyParallel: false,
  workers: 1,
  outputDir: 'test-results-aws',
  webServer: {
    command: `node --import tsx e2e/serve-aws.ts ${E2E_PORT}`,
    // /api/ping: /api/health answers 503 here on purpose (staging's role refuses the portal).
    url: `${E2E_BASE_URL}/api/ping`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
