import 'server-only';
import { auditEntry, type RequestOrigin } from '@/lib/audit/model';
import type { Actor } from '@/lib/identity/actor';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

export interface StepUp {
  actor: Pick<Actor, 'id' | 'name'>;
  /** How the user proved it is them: the local confirmation, or a new sign-in at the identity provider (max_age). */
  method: 'local' | 'sso';
  /** The sign-in time before and after (null: the session did not carry one). */
  before: Date | null;
  after: Date;
  /** The page the step-up was for (a request's), when known. */
  requestId?: string | null;
}

/** Records a step-up ('auth.step_up', docs/decisions/046-step-up.md) by the user themself. */
export async function recordStepUp(stepUp: StepUp, origin: RequestOrigin | null, db: PrismaClient = prisma()): Promise<void> {
  await db.$transaction(async (tx) => {
    await appendAuditEvent(
      tx,
      auditEntry(
        stepUp.actor,
        'auth.step_up',
        { type: 'user', id: stepUp.actor.id },
        {
          requestId: stepUp.requestId ?? null,
          before: { signedInAt: stepUp.before?.toISOString() ?? null },
          after: { signedInAt: stepUp.after.toISOString(), method: stepUp.method },
        },
        new Date(),
      ),
      origin,
    );
  });
}
