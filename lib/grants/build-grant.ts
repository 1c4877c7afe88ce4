import { AppError } from '@/lib/errors';
import { generateGrantPolicy, type PolicyDocument } from '@/lib/grants/policy';
import type { Principal } from '@/lib/grants/ports';

export interface GrantInputs {
  principal: Principal | null;
  secret: { arn: string | null; kmsKeyArn: string | null } | null;
}

export interface NewGrant {
  principal: Principal;
  policy: PolicyDocument;
  resourceArn: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The grant an approved request turns into: it starts at its scheduled start (or now) and lasts the
 * requested duration; the policy carries the same end. Returns null for request types the engine
 * does not apply yet (registration and roles: see the grant engine issue).
 */
export function buildGrant(
  request: { type: string; startsAt: Date | null; durationMinutes: number },
  inputs: GrantInputs,
  now: Date,
): NewGrant | null {
  if (request.type !== 'SECRET_READ') return null;
  if (!inputs.principal) throw new AppError('UNPROCESSABLE', 'The requester has no AWS identity mapped in Gatehouse; an admin must map their IAM user first.');
  if (!inputs.secret?.arn) throw new AppError('UNPROCESSABLE', 'The secret has no AWS ARN in the catalog; the security team must add it first.');
  const startsAt = request.startsAt && request.startsAt > now ? request.startsAt : now;
  const endsAt = new Date(startsAt.getTime() + request.durationMinutes * 60_000);
  return {
    principal: inputs.principal,
    policy: generateGrantPolicy({ type: 'SECRET_READ', secretArn: inputs.secret.arn, kmsKeyArn: inputs.secret.kmsKeyArn }, endsAt),
    resourceArn: inputs.secret.arn,
    startsAt,
    endsAt,
  };
}
