#!/usr/bin/env node
// `npm start`: build for production, then serve on http://localhost:3000 (PORT to change it).
// Without SSO configured this is the local demo: local sign-in is allowed explicitly here, and
// only here (docs/decisions/003-auth.md). A production deployment runs `next start` itself.
import { spawnSync, spawn } from 'node:child_process';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

const next = 'node_modules/next/dist/bin/next';
const build = spawnSync(process.execPath, [next, 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = process.env.PORT || '3000';
const env = { ...process.env, NODE_ENV: 'production' };
if ((env.GATEHOUSE_AUTH ?? 'local') === 'local') {
  env.GATEHOUSE_ALLOW_LOCAL_SIGNIN ??= 'true';
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;
}
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, next, 'start', '-p', port], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
