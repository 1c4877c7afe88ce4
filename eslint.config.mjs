import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// lib/<domain> is plain TypeScript: frameworks, the database and AWS are reached only through
// ports implemented in lib/server (docs/decisions/001-layout.md).
// @cloud-copilot/* is AGPL: tests only (docs/decisions/009-iam-policy-proof.md). Flat config
// replaces a rule per file rather than merging it, so every no-restricted-imports list carries it.
const agpl = { group: ['@cloud-copilot/*'], message: 'AGPL-licensed: use it from tests only (docs/decisions/009).' };

// infra/ is the serverless stack the portal deploys: its Lambda code is bundled on its own, and the
// portal shares no module with it (the template model both use lives in lib/deployments).
const infra = { group: ['@/infra/*'], message: 'The portal does not import infra/ (the serverless stack); share code through lib/.' };

// What reaches the browser imports zod through lib/zod-mini.ts: 'zod' brings about 26 kB gzip and
// Turbopack keeps all of 'zod/mini' (about 56 kB); zod/mini's modules, re-exported there, about 9 kB
// (docs/decisions/052-page-weight-budget.md).
const zodInBrowser = {
  regex: '^zod(?:/.*)?$',
  message: "This module reaches the browser: import * as z from '@/lib/zod-mini', not zod or zod/mini (docs/decisions/052).",
};
// The schema modules client components import (and what they import that uses zod).
const browserSchemas = [
  'lib/access/schemas.ts',
  'lib/catalog/schemas.ts',
  'lib/deployments/schemas.ts',
  'lib/identity/schemas.ts',
  'lib/tokens/schemas.ts',
  'lib/costs/schemas.ts',
  'lib/security/text.ts',
];

const frameworkImports = {
  patterns: [
    { group: ['next', 'next/*'], message: 'lib/<domain> is framework-free: move this to app/ or lib/server/.' },
    { group: ['react', 'react-dom', 'react/*'], message: 'lib/<domain> is framework-free: UI belongs in components/.' },
    { group: ['next-auth', 'next-auth/*'], message: 'Authentication lives in lib/server/auth.' },
    { group: ['@prisma/*', '@/lib/server/db/generated/*', 'pg', '@electric-sql/*'], message: 'Only repositories in lib/server/db touch the database.' },
    { group: ['@aws-sdk/*'], message: 'AWS is reached through a port; the adapter lives in lib/server/aws.' },
    { group: ['@/lib/server/*', '@/app/*', '@/components/*'], message: 'lib/<domain> must not depend on adapters, routes or UI.' },
    infra,
    agpl,
  ],
};

// Repository modules app/ may read from (pages and JSON routes); anything else goes through lib/server.
const appReadModules = [
  'api-tokens',
  'approval-rules',
  'audit',
  'catalog-read',
  'catalog-write',
  'control-plane-changes',
  'deployments',
  'grant-preview',
  'grants',
  'my-grants',
  'principals',
  'requests-read',
  'teams',
  'users',
];
const appRepositoryMessage =
  'app/ writes through a use case (lib/<domain>/service.ts) wired in lib/server, and reads only list*/find*/stream* from the read modules listed in eslint.config.mjs.';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      'lib/server/db/generated/**',
      'infra/dist/**',
      'test-results/**',
      'playwright-report/**',
      '.data/**',
      'next-env.d.ts',
    ],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['info', 'warn', 'error'] }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    rules: { 'no-restricted-imports': ['error', { patterns: [agpl] }] },
  },
  {
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    ignores: ['lib/server/**'],
    rules: { 'no-restricted-imports': ['error', frameworkImports] },
  },
  {
    // Only repositories and the database module import the Prisma client.
    files: ['app/**', 'components/**', 'lib/server/**'],
    ignores: ['lib/server/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@prisma/*', '@/lib/server/db/generated/*'], message: 'Use a repository in lib/server/db/repositories.' }, infra, agpl] },
      ],
    },
  },
  {
    files: ['lib/server/db/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [infra, agpl] }] },
  },
  {
    // Each Lambda function is bundled alone (infra/build.mjs): it imports nothing of the portal.
    files: ['infra/functions/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/*'], message: 'Lambda code is bundled on its own: use relative imports within infra/functions.' }, agpl] },
      ],
    },
  },
  {
    // app/ reaches the database for reads only: a write is a use case in lib/<domain>, wired in
    // lib/server (lib/server/catalog.ts, identity.ts, reconcile.ts, ...). Pages and routes may import
    // the listed read modules, and from them only reads (list*, find*, stream*), types and constants.
    files: ['app/**'],
    ignores: ['app/sandbox/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@prisma/*', '@/lib/server/db/generated/*'], message: 'Use a repository in lib/server/db/repositories.' },
            {
              regex: '^@/lib/server/db/(?!repositories/)',
              message: 'app/ reaches the database through lib/server and its repositories, never the client itself.',
            },
            { group: ['@/lib/server/db/repositories/*', ...appReadModules.map((m) => `!@/lib/server/db/repositories/${m}`)], message: appRepositoryMessage },
            {
              group: appReadModules.map((m) => `@/lib/server/db/repositories/${m}`),
              allowImportNamePattern: '^((list|find|stream)[A-Z]|requesterHistory$|[A-Z])',
              message: appRepositoryMessage,
            },
            infra,
            agpl,
          ],
        },
      ],
    },
  },
  {
    // The generic HTTP layer (route and action wrappers, body, errors, the id-route factory) knows no
    // feature: a feature's routes live beside its wiring (lib/server/access-route.ts…) and pass
    // their schemas and use cases in. Allowed: errors, identity, text safety, the audit origin type,
    // authorization, env and the database-outage probes. Tests may import what they exercise.
    files: ['lib/server/http/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@/(?!lib/(?:errors|action-result|identity/.+|security/.+|audit/model|server/(?:auth/.+|http/.+|env|db/outage|db/unavailable))$)',
              message: 'lib/server/http is generic: move feature routes beside their wiring, or pass what they need as arguments.',
            },
            { group: ['@prisma/*', '@/lib/server/db/generated/*'], message: 'Use a repository in lib/server/db/repositories.' },
            agpl,
          ],
        },
      ],
    },
  },
  {
    // UI components get data through props: no database, AWS or server modules.
    files: ['components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@/lib/server/*', '@prisma/*', '@aws-sdk/*', 'pg'], message: 'components/ is UI only: load data in the page and pass it as props.' },
            zodInBrowser,
            infra,
            agpl,
          ],
        },
      ],
    },
  },
  {
    files: browserSchemas,
    rules: { 'no-restricted-imports': ['error', { patterns: [...frameworkImports.patterns, zodInBrowser] }] },
  },
  {
    // Configuration is read in one place, validated (lib/server/env.ts).
    files: ['app/**', 'components/**', 'lib/**', 'prisma/**'],
    ignores: ['lib/server/env.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through env() from lib/server/env.ts.' }],
    },
  },
  {
    files: ['scripts/**', 'e2e/**', 'bench/**', 'cli/**', '*.config.*', 'vitest.setup.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests may use the AGPL evaluator (never shipped); the domain boundary still holds for lib tests.
    files: ['**/*.test.ts'],
    ignores: ['lib/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['lib/**/*.test.ts'],
    ignores: ['lib/server/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: frameworkImports.patterns.filter((p) => p !== agpl) }] },
  },
  {
    files: ['lib/server/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Playwright fixtures call their continuation `use`, which is not React's hook.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];

export default config;
