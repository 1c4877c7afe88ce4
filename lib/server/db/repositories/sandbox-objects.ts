import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import type { Prisma } from '@/lib/server/db/generated/client';

export type JsonValue = Prisma.InputJsonValue;

/** Persistence of the local sandbox account: one JSON document per simulated resource. */
export interface SandboxStore {
  get<T>(service: string, kind: string, key: string): Promise<T | null>;
  list<T>(service: string, kind: string): Promise<{ key: string; data: T }[]>;
  /** Creates the object unless it exists; returns the stored one (first writer wins). */
  createIfAbsent<T extends JsonValue>(service: string, kind: string, key: string, data: T): Promise<T>;
  put<T extends JsonValue>(service: string, kind: string, key: string, data: T): Promise<void>;
  /** Returns whether something was removed. */
  remove(service: string, kind: string, key: string): Promise<boolean>;
}

/** The sandbox store in the portal's database, so that every replica sees the same account. */
export function createSandboxStore(db: PrismaClient = prisma()): SandboxStore {
  return {
    async get<T>(service: string, kind: string, key: string) {
      const row = await db.sandboxObject.findUnique({ where: { service_kind_key: { service, kind, key } }, select: { data: true } });
      return row ? (row.data as T) : null;
    },
    async list<T>(service: string, kind: string) {
      const rows = await db.sandboxObject.findMany({ where: { service, kind }, select: { key: true, data: true }, orderBy: { key: 'asc' } });
      return rows.map((r) => ({ key: r.key, data: r.data as T }));
    },
    async createIfAbsent<T extends JsonValue>(service: string, kind: string, key: string, data: T) {
      const row = await db.sandboxObject.upsert({
        where: { service_kind_key: { service, kind, key } },
        create: { service, kind, key, data },
        update: {},
        select: { data: true },
      });
      return row.data as T;
    },
    async put<T extends JsonValue>(service: string, kind: string, key: string, data: T) {
      await db.sandboxObject.upsert({ where: { service_kind_key: { service, kind, key } }, create: { service, kind, key, data }, update: { data } });
    },
    async remove(service: string, kind: string, key: string) {
      const { count } = await db.sandboxObject.deleteMany({ where: { service, kind, key } });
      return count > 0;
    },
  };
}
