import 'server-only';
import type { ApprovalRuleRow, CatalogRoleRow, CatalogSecretRow, CatalogStore, CatalogTx } from '@/lib/catalog/ports';
import { UniqueViolationError } from '@/lib/catalog/ports';
import type { PolicyStatement } from '@/lib/catalog/schemas';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { proposeChange } from '@/lib/server/db/repositories/control-plane-changes';

type Tx = Prisma.TransactionClient;

// Every edit is one transaction: the row and its audit event are written together or not at all.
const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

const secretSelect = {
  id: true,
  name: true,
  environment: true,
  teamId: true,
  description: true,
  arn: true,
  kmsKeyArn: true,
  active: true,
} as const;

const roleSelect = {
  id: true,
  teamId: true,
  environment: true,
  function: true,
  description: true,
  policy: true,
  active: true,
} as const;

const ruleSelect = {
  id: true,
  requestType: true,
  environment: true,
  approvalsRequired: true,
  approverGroup: true,
  maxDurationMinutes: true,
  pendingTtlMinutes: true,
  breakGlassAllowed: true,
} as const;

function toRoleRow(row: Prisma.CatalogRoleGetPayload<{ select: typeof roleSelect }>): CatalogRoleRow {
  return { ...row, policy: row.policy as unknown as PolicyStatement[] };
}

const toRoleRowOrNull = (row: Prisma.CatalogRoleGetPayload<{ select: typeof roleSelect }> | null) => (row ? toRoleRow(row) : null);

/** A unique-constraint violation (two editors saving the same name at once). */
function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === 'P2002';
}

/** The catalog's reads and writes inside the caller's transaction (lib/catalog/service.ts uses them; so does an approval). */
export function catalogTx(tx: Tx): CatalogTx {
  return {
    async appendAudit(entry, origin) {
      await appendAuditEvent(tx, entry, origin);
    },
    propose: (change, author, origin) => proposeChange(tx, change, author, origin),
    findTeam: (id) => tx.team.findUnique({ where: { id }, select: { id: true, slug: true } }),
    findSecret: (id) => tx.catalogSecret.findUnique({ where: { id }, select: secretSelect }),
    findSecretByName: (name) => tx.catalogSecret.findFirst({ where: { name }, select: secretSelect }),
    async secretNameTaken(name, exceptId) {
      return (await tx.catalogSecret.findFirst({ where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } })) !== null;
    },
    createSecret: (data) => tx.catalogSecret.create({ data, select: secretSelect }),
    updateSecret: (id, data) => tx.catalogSecret.update({ where: { id }, data, select: secretSelect }),
    findRole: async (id) => toRoleRowOrNull(await tx.catalogRole.findUnique({ where: { id }, select: roleSelect })),
    findRoleByKey: async (key) =>
      toRoleRowOrNull(
        await tx.catalogRole.findFirst({ where: { teamId: key.teamId, environment: key.environment, function: key.function }, select: roleSelect }),
      ),
    async roleKeyTaken(key, exceptId) {
      const where = { teamId: key.teamId, environment: key.environment, function: key.function, ...(exceptId ? { id: { not: exceptId } } : {}) };
      return (await tx.catalogRole.findFirst({ where, select: { id: true } })) !== null;
    },
    createRole: async (data) => toRoleRow(await tx.catalogRole.create({ data, select: roleSelect })),
    updateRole: async (id, data) => toRoleRow(await tx.catalogRole.update({ where: { id }, data, select: roleSelect })),
    findRule: (requestType, environment): Promise<ApprovalRuleRow | null> =>
      tx.approvalRule.findUnique({ where: { requestType_environment: { requestType, environment } }, select: ruleSelect }),
    upsertRule(input): Promise<ApprovalRuleRow> {
      const { requestType, environment, ...values } = input;
      return tx.approvalRule.upsert({
        where: { requestType_environment: { requestType, environment } },
        create: { requestType, environment, ...values },
        update: values,
        select: ruleSelect,
      });
    },
  };
}

/** The catalog's storage on the portal's database: one transaction per edit; a unique violation becomes UniqueViolationError. */
export function createCatalogStore(db: PrismaClient = prisma()): CatalogStore {
  return {
    async transaction(work) {
      try {
        return await db.$transaction((tx) => work(catalogTx(tx)), TX_OPTIONS);
      } catch (e) {
        if (isUniqueViolation(e)) throw new UniqueViolationError();
        throw e;
      }
    },
  };
}

/** The catalog's secrets with every field the editor needs (the read-only listing omits the KMS key). */
export async function listEditableSecrets(db: PrismaClient = prisma()): Promise<CatalogSecretRow[]> {
  return db.catalogSecret.findMany({ select: secretSelect, orderBy: { name: 'asc' } });
}
