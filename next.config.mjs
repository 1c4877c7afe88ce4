// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite (WASM Postgres) and its Prisma adapter load files at run time: keep them out of the bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', '@prisma/adapter-pg', 'pg'],
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() renders app/forbidden.tsx with status 403 (docs/decisions/003-auth.md).
  experimental: { authInterrupts: true },
};

export default nextConfig;
