import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_FLOORS } from '@/lib/control-plane/floors';
import type { ControlPlaneChange } from '@/lib/control-plane/model';
import type { AuditEntry } from '@/lib/audit/model';
import { UniqueViolationError, type CatalogSecretRow, type CatalogStore, type CatalogTx } from '@/lib/catalog/ports';
import { upsertSecretSchema } from '@/lib/catalog/schemas';
import { upsertSecret, type CatalogDeps } from '@/lib/catalog/service';

const seoyeon = { id: 'usr_seoyeon_park', name: 'Seo-yeon Park' };
const ctx = { floors: DEFAULT_RULE_FLOORS, accountFor: async () => ({ partition: 'aws', accountId: '123456789012', region: 'ap-northeast-2' }) };
const input = (fields: Record<string, unknown>) =>
  upsertSecretSchema.parse({ environment: 'DEV', teamId: 'team_data', description: 'ETL token', active: 'on', ...fields });

/** Only the secret part of the catalog, in memory; the rest of the port is not reached by these cases. */
function fakeCatalog(secrets: CatalogSecretRow[]) {
  const rows = new Map(secrets.map((s) => [s.id, { ...s }]));
  const audit: AuditEntry[] = [];
  const updates: unknown[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used by the secret use case');
  };
  const tx: CatalogTx = {
    appendAudit: async (entry) => void audit.push(entry),
    propose: async (change, author) =>
      ({ ...change, id: 'chg_1', status: 'PROPOSED', authorId: author.id, authorName: author.name }) as unknown as ControlPlaneChange,
    findTeam: async (id) => (id === 'team_data' ? { id, slug: 'data' } : null),
    findSecret: async (id) => rows.get(id) ?? null,
    findSecretByName: async (name) => [...rows.values()].find((s) => s.name === name) ?? null,
    secretNameTaken: async (name, exceptId) => [...rows.values()].some((s) => s.name === name && s.id !== exceptId),
    createSecret: async (data) => {
      const row = { id: `sec_${rows.size + 1}`, ...data };
      rows.set(row.id, row);
      return row;
    },
    updateSecret: async (id, data) => {
      updates.push(data);
      const row = { ...rows.get(id)!, ...data };
      rows.set(id, row);
      return row;
    },
    findRole: unused,
    findRoleByKey: unused,
    roleKeyTaken: unused,
    createRole: unused,
    updateRole: unused,
    findRule: unused,
    upsertRule: unused,
  };
  const store: CatalogStore = { transaction: (work) => work(tx) };
  const deps: CatalogDeps = { store, ctx };
  return { deps, audit, updates, rows };
}

const existing: CatalogSecretRow = {
  id: 'sec_1',
  name: 'dev/data/etl-token',
  environment: 'DEV',
  teamId: 'team_data',
  description: 'ETL token',
  arn: null,
  kmsKeyArn: null,
  active: true,
};

describe('catalog secrets (use case)', () => {
  it('checks an ARN against its own environment’s account: a prod secret in dev’s account is refused and nothing is written', async () => {
    const accounts = { DEV: '111122223333', STAGING: '111122223333', PROD: '444455556666' } as const;
    const f = fakeCatalog([]);
    const deps: CatalogDeps = {
      ...f.deps,
      ctx: { floors: DEFAULT_RULE_FLOORS, accountFor: async (environment) => ({ partition: 'aws', accountId: accounts[environment], region: 'us-east-1' }) },
    };
    const arnIn = (accountId: string) => `arn:aws:secretsmanager:us-east-1:${accountId}:secret:prod/data/etl-token-AbCdEf`;
    await expect(upsertSecret(deps, input({ environment: 'PROD', name: 'etl-token', arn: arnIn('111122223333') }), seoyeon, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('444455556666'),
    });
    expect(f.audit).toEqual([]);
    expect(f.rows.size).toBe(0);
    expect(await upsertSecret(deps, input({ environment: 'PROD', name: 'etl-token', arn: arnIn('444455556666') }), seoyeon, null)).toMatchObject({
      proposal: { kind: 'CATALOG_SECRET', targetLabel: 'prod/data/etl-token' },
    });
  });

  it('a description change applies at once and writes only description and active', async () => {
    const f = fakeCatalog([existing]);
    const result = await upsertSecret(f.deps, input({ id: 'sec_1', name: 'etl-token', description: 'ETL token, nightly' }), seoyeon, null);
    expect(result).toMatchObject({ changed: true, proposal: null, row: { description: 'ETL token, nightly' } });
    expect(f.updates).toEqual([{ description: 'ETL token, nightly', active: true }]);
    expect(f.audit).toMatchObject([{ action: 'catalog.secret.updated', targetId: 'dev/data/etl-token' }]);
  });

  it('the same values again write nothing; a new name is only proposed', async () => {
    const f = fakeCatalog([existing]);
    expect(await upsertSecret(f.deps, input({ id: 'sec_1', name: 'etl-token' }), seoyeon, null)).toMatchObject({ changed: false, proposal: null });
    const renamed = await upsertSecret(f.deps, input({ id: 'sec_1', name: 'etl-key' }), seoyeon, null);
    expect(renamed).toMatchObject({ changed: false, row: existing, proposal: { kind: 'CATALOG_SECRET', targetLabel: 'dev/data/etl-key' } });
    expect(f.rows.get('sec_1')!.name).toBe('dev/data/etl-token');
    expect(f.audit).toEqual([]);
  });

  it('a name taken meanwhile (a unique violation at commit) is a CONFLICT naming the secret', async () => {
    const f = fakeCatalog([]);
    const store: CatalogStore = {
      async transaction(work) {
        await f.deps.store.transaction(work);
        throw new UniqueViolationError();
      },
    };
    await expect(upsertSecret({ ...f.deps, store }, input({ name: 'etl-token' }), seoyeon, null)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A secret named dev/data/etl-token is already in the catalog.',
    });
  });

  it('an unknown team is UNPROCESSABLE', async () => {
    const f = fakeCatalog([]);
    await expect(upsertSecret(f.deps, input({ name: 'etl-token', teamId: 'team_nope' }), seoyeon, null)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
  });
});
