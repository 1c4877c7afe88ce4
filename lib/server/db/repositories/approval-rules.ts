import 'server-only';
import type { ApprovalRuleValues, RequestType } from '@/lib/access/model';
import { REQUEST_TYPES } from '@/lib/access/model';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import { defaultRule } from '@/lib/access/rules';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

export type RuleTable = Record<RequestType, Record<Environment, ApprovalRuleValues & { stored: boolean }>>;

/** The rule for every (type, environment): the stored one, else the built-in default. */
export async function listRules(db: PrismaClient = prisma()): Promise<RuleTable> {
  const rows = await db.approvalRule.findMany({
    select: {
      requestType: true,
      environment: true,
      approvalsRequired: true,
      approverGroup: true,
      maxDurationMinutes: true,
      pendingTtlMinutes: true,
      breakGlassAllowed: true,
    },
  });
  const table = {} as RuleTable;
  for (const type of REQUEST_TYPES) {
    table[type] = {} as RuleTable[RequestType];
    for (const env of ENVIRONMENTS) {
      const row = rows.find((r) => r.requestType === type && r.environment === env);
      table[type][env] = row ? { ...row, stored: true } : { ...defaultRule(type, env), stored: false };
    }
  }
  return table;
}
