import { defineConfig } from '@playwright/test';
import base from './playwright.config';
import { E2E_BASE_URL, E2E_PORT } from './e2e/fixtures/constants';
import { CLIENT_ID, CLIENT_SECRET, IDP_ISSUER, IDP_NAME, ROLE_MAP } from './e2e/sso/constants';

// Single sign-on end to end: the same production build as the sandbox suite, with GATEHOUSE_AUTH=oidc
// against a real OpenID Connect provider (oidc-provider, e2e/sso/idp.ts) on a local port. The specs
// change the provider's users (groups, sign-in times): they run one at a time. `npm test` runs it.
export default defineConfig({
  ...base,
  testDir: './e2e/sso',
  testIgnore: [],
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  outputDir: 'test-results-sso',
  webServer: [
    {
      command: 'node --import tsx e2e/sso/idp.ts',
      url: `${IDP_ISSUER}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `node e2e/serve.mjs ${E2E_PORT}`,
      url: `${E2E_BASE_URL}/api/ping`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        E2E_OIDC_ISSUER: IDP_ISSUER,
        E2E_OIDC_NAME: IDP_NAME,
        E2E_OIDC_CLIENT_ID: CLIENT_ID,
        E2E_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        E2E_OIDC_ROLE_MAP: ROLE_MAP,
      },
    },
  ],
});
