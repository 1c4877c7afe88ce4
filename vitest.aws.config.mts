import { defineConfig } from 'vitest/config';

// The opt-in suite against a real AWS API (LocalStack, moto or a sandbox account): `npm run test:aws`.
// Its files end in .aws-e2e.ts so that the default `vitest run` never picks them up.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['lib/**/*.aws-e2e.ts'],
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
    // IAM is eventually consistent: steps poll for up to a minute.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    server: { deps: { inline: ['server-only'] } },
  },
});
