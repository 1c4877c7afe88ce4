#!/usr/bin/env node
// `npm start`: build the stack's functions and the portal for production, then serve on http://localhost:3000 (PORT to change it).
// Without SSO configured this is the local demo: local sign-in is allowed explicitly here, and
// only here (docs/decisions/003-auth.md). A production deployment runs `next start` itself.
import { spawnSync, spawn } from 'node:child_process';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';
import { noteBuildSource } from './release-source.mjs';

const next = 'node_modules/next/dist/bin/next';
// The stack's functions, so the local demo deploys real bundles (docs/decisions/042-releases.md): the
// build is deterministic and takes about a second, so it always runs (an old build never stands in
// for changed code), and the server records it as a release at startup; unchanged code is the same release.
const infra = spawnSync(process.execPath, ['infra/build.mjs'], { stdio: 'inherit' });
if (infra.status !== 0) process.exit(infra.status ?? 1);
noteBuildSource('infra/dist');
const build = spawnSync(process.execPath, [next, 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = process.env.PORT || '3000';
const env = { ...process.env, NODE_ENV: 'production' };
env.GATEHOUSE_SEED_RELEASE ??= 'true';
if ((env.GATEHOUSE_AUTH ?? 'local') === 'local') {
  env.GATEHOUSE_ALLOW_LOCAL_SIGNIN ??= 'true';
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;
}
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, next, 'start', '-p', port], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
