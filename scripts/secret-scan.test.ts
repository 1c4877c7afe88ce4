import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxRandomValue } from '@/lib/server/sandbox/secrets';
import { scan, scanText } from './secret-scan.mjs';

const names = (text: string, literals: string[] = []) => scanText(text, { literals }).map((f) => f.name);

describe('scanText', () => {
  it('finds a value the sandbox generated, and never prints it', () => {
    const value = sandboxRandomValue();
    expect(value).toMatch(/^GHSANDBOXVALUE[A-Za-z0-9]{26}$/);
    const found = scanText(`[grants] created secret dev/data/x with ${value} as its value`);
    expect(found).toEqual([{ name: 'sandbox secret value', at: 40, excerpt: 'GHSA…(40 chars)' }]);
    expect(JSON.stringify(found)).not.toContain(value);
  });

  it('finds AWS credentials in the shapes they leak in', () => {
    // Built at run time so that this file itself holds no credential-shaped string.
    const keyId = ['AKIA', 'Z7Q2', 'M4XK', 'P9LW', 'R3TB'].join('');
    const secret = ['Jx8vK2pQ', 'w7Lr4Ny6', 'Bz1Hc9Dm', 'T5sF3gA0', 'eU2iO8yR'].join('');
    expect(names(`calling IAM as ${keyId}`)).toEqual(['AWS access key id']);
    expect(names(`${keyId} ${secret}`)).toEqual(['AWS access key id', 'AWS secret access key after a key id']);
    expect(names(`aws_secret_access_key = ${secret}`)).toEqual(['aws_secret_access_key assignment']);
    expect(names(`{"AWS_SECRET_ACCESS_KEY":"${secret}"}`)).toEqual(['aws_secret_access_key assignment']);
    expect(names(`AWS_SESSION_TOKEN=${secret}${secret}`)).toEqual(['aws_session_token assignment']);
    expect(names(`{"Name":"dev/x","SecretString":"hunter2-but-longer"}`)).toEqual(['SecretString / RandomPassword value']);
    // A JSON secret, as a stored document holds it (escaped), is found; an empty template is not a value.
    expect(names(JSON.stringify({ data: { SecretString: '{"password":"hunter2-but-longer"}' } }))).toEqual(['SecretString / RandomPassword value']);
    expect(names(JSON.stringify({ data: { SecretString: '{"url":""}' } }))).toEqual([]);
    expect(names('cookie: next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..abc')).toEqual(['session cookie']);
  });

  it('finds literal values it is given (the server key, a database password)', () => {
    expect(names('NEXTAUTH_SECRET is e2e-only-secret-0123456789', ['e2e-only-secret-0123456789'])).toEqual(['literal #1']);
    // Too short to be meaningful: ignored rather than matching everywhere.
    expect(names('abc', ['abc'])).toEqual([]);
  });

  it("ignores AWS's documented example credentials and ordinary ids", () => {
    expect(names('UserId AKIAIOSFODNN7EXAMPLE, key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual([]);
    expect(names('role id AROA6465762D7061796D65, arn:aws:iam::111122223333:policy/gatehouse/gatehouse-grant-gmx1abc')).toEqual([]);
    expect(names('"secretId":"sec_dev_payments_stripe_api_key","valueSetAt":"2026-11-29T12:00:00Z"')).toEqual([]);
  });
});

describe('scan', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads logs and dumps a PGlite database, including values the database compressed', async () => {
    fs.writeFileSync(path.join(dir, 'server.log'), 'ready\n[http] GET /requests 200\n');
    const value = sandboxRandomValue();
    const lite = new PGlite(path.join(dir, 'pglite'));
    await lite.exec('CREATE TABLE notes (id int, body jsonb)');
    // Large enough to be TOAST-compressed: in the raw files the marker is cut by compression bytes.
    await lite.query('INSERT INTO notes VALUES (1, $1)', [JSON.stringify({ pad: 'x'.repeat(20_000), leaked: value })]);
    await lite.close();

    const clean = await scan({ paths: [path.join(dir, 'server.log')] });
    expect(clean.findings).toEqual([]);
    expect(clean.scanned).toMatchObject({ files: 1, tables: 0 });

    const raw = await scan({ paths: [path.join(dir, 'pglite')] });
    expect(raw.findings).toEqual([]);
    const dumped = await scan({ pglite: [path.join(dir, 'pglite')] });
    expect(dumped.findings).toEqual([
      { where: `pglite:${path.join(dir, 'pglite')} table notes`, name: 'sandbox secret value', at: expect.any(Number), excerpt: 'GHSA…(40 chars)' },
    ]);
    expect(dumped.scanned).toMatchObject({ tables: 1, rows: 1 });
  });
});
