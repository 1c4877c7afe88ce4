// Starts moto (a local AWS API emulator, Python) for the AWS adapter suite when this machine has it.
// moto cannot be installed from the registries reachable here, so it is optional: without it the
// suite is skipped with the reason printed, and `npm run test:aws` can still target any endpoint.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The Python that can run moto, or null when moto is not installed. */
export function motoPython() {
  return ['python3', 'python'].find((p) => spawnSync(p, ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0) ?? null;
}

export const MOTO_MISSING = 'moto is not installed (python3 -c "import moto.server" fails)';

/**
 * Resolves to { url, stop } with moto listening, or { skipped: reason }. `env` is added to moto's
 * environment (MOTO_ACCOUNT_ID=111122223333 makes the emulator's account the seeded one).
 */
export async function startMoto({ env = {} } = {}) {
  const python = motoPython();
  if (!python) return { skipped: `${MOTO_MISSING}: the AWS adapter suite against an emulator is skipped` };
  const port = await freePort();
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', env: { ...process.env, ...env } });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.status < 500) return { url, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  return { skipped: `moto did not start on ${url}: the AWS adapter suite against an emulator is skipped` };
}
