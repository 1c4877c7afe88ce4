// @ts-check
import fs from 'node:fs';

/**
 * Every AWS SDK package the portal depends on (docs/decisions/025-one-aws-sdk-instance.md). Left
 * to the bundler, each server bundle (route handlers, pages, instrumentation) gets its own copy of
 * a client, and a client cached on globalThis by one copy fails the `instanceof` check of another
 * copy's paginators. External packages are loaded by Node's `require`, whose cache holds one copy
 * per process. Read from package.json, so a new SDK dependency is external without a second edit.
 * @type {string[]}
 */
export const awsSdkPackages = Object.keys(JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8')).dependencies).filter((name) =>
  /^@(aws-sdk|smithy)\//.test(name),
);

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite (WASM Postgres) and its Prisma adapter load files at run time: keep them out of the bundle.
  // The AWS SDK: one instance per process (above).
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', '@prisma/adapter-pg', 'pg', ...awsSdkPackages],
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() renders app/forbidden.tsx with status 403 (docs/decisions/003-auth.md).
  experimental: { authInterrupts: true },
  // Baseline security headers on every response (a nonce-based CSP comes with the hardening work).
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
