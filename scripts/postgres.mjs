// Makes a local PostgreSQL server available to the tests: installs Debian's package when missing
// (as root), starts the cluster, and creates a `gatehouse` login that may create databases.
// Returns the admin URL the tests create their databases from.
import { execFileSync, spawnSync } from 'node:child_process';

const ROLE = 'gatehouse';
const PASSWORD = 'gatehouse-test-only';

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function asPostgres(sql) {
  return run('runuser', ['-u', 'postgres', '--', 'psql', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { cwd: '/' });
}

/** Ensures a running server; returns { url } or { skipped: reason }. */
export function ensurePostgres({ log = console.log } = {}) {
  if (!has('pg_lsclusters')) {
    if (process.getuid?.() !== 0) {
      return { skipped: 'PostgreSQL is not installed and installing it needs root: run `sudo apt-get install -y postgresql`, then npm test again.' };
    }
    log('Installing PostgreSQL (apt-get install postgresql)…');
    run('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    run('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  let clusters = run('pg_lsclusters', ['--no-header']).trim().split('\n').filter(Boolean);
  if (clusters.length === 0) {
    run('pg_createcluster', ['15', 'main']);
    clusters = run('pg_lsclusters', ['--no-header']).trim().split('\n').filter(Boolean);
  }
  const [version, name, port, status] = clusters[0].trim().split(/\s+/);
  if (status !== 'online') {
    log(`Starting PostgreSQL ${version}/${name} on port ${port}…`);
    run('pg_ctlcluster', [version, name, 'start']);
  }
  const exists = asPostgres(`SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'`).trim() === '1';
  // CREATEROLE: the grant-layout test makes an application role of its own (lib/server/db/app-role.test.ts).
  asPostgres(`${exists ? 'ALTER' : 'CREATE'} ROLE ${ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '${PASSWORD}'`);
  // DROP DATABASE … WITH (FORCE) ends the sessions on it, an autovacuum worker's included; a worker
  // has no role, so without pg_signal_backend the drop fails while one happens to run there.
  asPostgres(`GRANT pg_signal_backend TO ${ROLE}`);
  return { url: `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${port}/postgres` };
}
