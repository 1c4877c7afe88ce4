/**
 * moto (the AWS emulator this machine's Python ships) for the aws-mode benchmarks
 * (bench/faults.ts, bench/grant-latency.ts): started in its own process group on a fixed port,
 * killed when the run ends, with the IAM users the seeded principals name.
 */
import { spawn } from 'node:child_process';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { HOST, onCleanup, waitFor } from './support';

/** Credentials of benchmark servers only (moto accepts any). */
export const BENCH_AWS_KEY = { accessKeyId: 'bench-only-key', secretAccessKey: 'bench-only-secret-not-a-real-key' };
/** The IAM users of the seeded principals of minji, jaewon and daniel (dev's account, 111122223333). */
export const MOTO_USERS = ['minji.kim', 'jaewon.choi', 'daniel.okafor'];

/** Starts moto as account 111122223333 (the seeded principals' account) on 127.0.0.1:port. */
export async function startMoto(port: number): Promise<void> {
  const child = spawn('python3', ['-m', 'moto.server', '-H', HOST, '-p', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, MOTO_ACCOUNT_ID: '111122223333' },
    detached: true,
  });
  onCleanup(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  });
  const ok = await waitFor(
    async () => {
      try {
        return (await fetch(`http://${HOST}:${port}/moto-api/`)).status < 500;
      } catch {
        return false;
      }
    },
    60_000,
    300,
  );
  if (!ok) throw new Error('moto did not start (python3 -m moto.server)');
}

export function motoIam(port: number): IAMClient {
  return new IAMClient({ region: 'us-east-1', endpoint: `http://${HOST}:${port}`, credentials: BENCH_AWS_KEY });
}

/** The IAM users the seeded principals name. */
export async function createMotoUsers(iam: IAMClient): Promise<void> {
  for (const UserName of MOTO_USERS) await iam.send(new CreateUserCommand({ UserName }));
}
