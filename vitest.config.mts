import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: [
      'lib/**/*.test.ts',
      'prisma/**/*.test.ts',
      'scripts/**/*.test.ts',
      'infra/**/*.test.ts',
      'cli/**/*.test.ts',
      'bench/**/*.test.ts',
      'components/**/*.test.tsx',
    ],
    // Component tests opt into a DOM per file (`// @vitest-environment happy-dom`); the rest stay on node.
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
    // Database tests open their own PGlite directories and PostgreSQL databases; files run in parallel.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    server: { deps: { inline: ['server-only'] } },
  },
});
