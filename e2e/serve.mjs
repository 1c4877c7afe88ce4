// Starts the production build for the e2e suite on a fresh embedded database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const port = process.argv[2] ?? '3210';
const dataDir = path.resolve('.data/e2e');
fs.rmSync(dataDir, { recursive: true, force: true });

const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', '127.0.0.1'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_AUTH: 'local',
    GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'true',
    GATEHOUSE_CLOUD: 'sandbox',
    // Grants that end during a test are removed within two seconds of their end.
    GATEHOUSE_GRANT_JOB_SECONDS: '2',
    // A sandbox deployment walks through its events in 6 s instead of 30.
    GATEHOUSE_SANDBOX_DEPLOY_SECONDS: '6',
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: 'e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
