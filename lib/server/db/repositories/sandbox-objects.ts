import 'server-only';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import type { Prisma } from '@/lib/server/db/generated/client';

export type JsonValue = Prisma.InputJsonValue;

/** Persistence of one simulated sandbox account: one JSON document per simulated resource. */
export interface SandboxStore {
  /** The simulated account whose objects this store holds (its ARNs name it). */
  readonly accountId: string;
  get<T>(service: string, kind: string, key: string): Promise<T | null>;
  list<T>(service: string, kind: string): Promise<{ key: string; data: T }[]>;
  /** Creates the object unless it exists; returns the stored one (first writer wins). */
  createIfAbsent<T extends JsonValue>(service: string, kind: string, key: string, data: T): Promise<T>;
  put<T extends JsonValue>(service: string, kind: string, key: string, data: T): Promise<void>;
  /** Returns whether something was removed. */
  remove(service: string, kind: string, key: string): Promise<boolean>;
}

/**
 * The `service` column of an account's objects (docs/decisions/040-sandbox-accounts.md): the
 * original sandbox account (111122223333) keeps the bare service name, so the rows every existing
 * database holds stay its own with no migration; any other simulated account prefixes its id
 * (`444455556666:iam`), which no bare service name contains.
 */
export function sandboxServiceOf(accountId: string, service: string): string {
  return accountId === SANDBOX_ACCOUNT_ID ? service : `${accountId}:${service}`;
}

/**
 * The sandbox store of one simulated account in the portal's database, so that every replica sees
 * the same accounts; two accounts never see each other's objects.
 */
export function createSandboxStore(db: PrismaClient = prisma(), accountId: string = SANDBOX_ACCOUNT_ID): SandboxStore {
  if (!/^\d{12}$/.test(accountId)) throw new Error(`not an AWS account id: ${accountId}`);
  const scoped = (service: string) => sandboxServiceOf(accountId, service);
  return {
    accountId,
    async get<T>(service: string, kind: string, key: string) {
      const row = await db.sandboxObject.findUnique({
        where: { service_kind_key: { service: scoped(service), kind, key } },
        select: { data: true },
      });
      return row ? (row.data as T) : null;
    },
    async list<T>(service: string, kind: string) {
      const rows = await db.sandboxObject.findMany({
        where: { service: scoped(service), kind },
        select: { key: true, data: true },
        orderBy: { key: 'asc' },
      });
      return rows.map((r) => ({ key: r.key, data: r.data as T }));
    },
    async createIfAbsent<T extends JsonValue>(service: string, kind: string, key: string, data: T) {
      const id = { service: scoped(service), kind, key };
      try {
        const row = await db.sandboxObject.upsert({ where: { service_kind_key: id }, create: { ...id, data }, update: {}, select: { data: true } });
        return row.data as T;
      } catch (e) {
        // Prisma runs an upsert with nothing to update as read-then-insert: two creators at once can
        // both read nothing, and the second insert fails on the unique key. The first writer won; read it.
        if ((e as { code?: string }).code !== 'P2002') throw e;
        const row = await db.sandboxObject.findUniqueOrThrow({ where: { service_kind_key: id }, select: { data: true } });
        return row.data as T;
      }
    },
    async put<T extends JsonValue>(service: string, kind: string, key: string, data: T) {
      const id = { service: scoped(service), kind, key };
      await db.sandboxObject.upsert({ where: { service_kind_key: id }, create: { ...id, data }, update: { data } });
    },
    async remove(service: string, kind: string, key: string) {
      const { count } = await db.sandboxObject.deleteMany({ where: { service: scoped(service), kind, key } });
      return count > 0;
    },
  };
}
