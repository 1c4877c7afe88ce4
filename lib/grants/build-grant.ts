import { AppError } from '@/lib/errors';
import type { GrantKind, GrantSetup } from '@/lib/grants/model';
import { arnAccount, generateGrantPolicy, secretArnPattern, teamRoleSpec, type PolicyDocument, type RolePermission } from '@/lib/grants/policy';
import type { Principal } from '@/lib/grants/principals';

/** What turning a request into a grant needs, read from the catalog and the requester's mapping. */
export interface GrantInputs {
  principal: Principal | null;
  secret: { arn: string | null; kmsKeyArn: string | null } | null;
  role: { function: string; description: string; permissions: RolePermission[] } | null;
  team: { id: string; slug: string };
  requesterEmail: string;
  /**
   * The account the request's environment lives in (docs/decisions/039): new secrets and team
   * roles are made there, in its primary region. A null id: the principal's own account (one
   * account for every environment).
   */
  account: { accountId: string | null; region: string };
}

export interface NewGrant {
  kind: GrantKind;
  principal: Principal;
  policy: PolicyDocument;
  resourceArn: string;
  setup: GrantSetup | null;
  startsAt: Date;
  endsAt: Date;
}

/** The partition and account id a grant's new resources are made in: the environment's account, else the principal's. */
function environmentAccount(principal: Principal, inputs: GrantInputs): { partition: string; accountId: string } {
  const own = arnAccount(principal.arn);
  return { partition: own.partition, accountId: inputs.account.accountId ?? own.accountId };
}

/** Stands for the grant id in a preview, before approval gives the grant one. */
export const PREVIEW_GRANT_ID = 'GRANT-ID';

interface GrantableRequest {
  id: string;
  type: GrantKind;
  environment: string;
  startsAt: Date | null;
  durationMinutes: number;
  proposedSecret: { name: string; description: string; rotationDays: number | null } | null;
}

/**
 * The grant an approved request turns into: it starts at its scheduled start (or now) and lasts the
 * requested duration; the policy carries the same end. A registration creates the secret first
 * (its policy names the exact ARN AWS gives it; until then the `-??????` pattern); a role grant
 * materialises the catalog's team role first.
 */
export function buildGrant(request: GrantableRequest, inputs: GrantInputs, now: Date, grantId: string): NewGrant {
  if (!inputs.principal) throw new AppError('UNPROCESSABLE', 'The requester has no AWS identity mapped in Gatehouse; an admin must map their IAM user first.');
  const principal = inputs.principal;
  const startsAt = request.startsAt && request.startsAt > now ? request.startsAt : now;
  const endsAt = new Date(startsAt.getTime() + request.durationMinutes * 60_000);
  const base = { kind: request.type, principal, startsAt, endsAt };
  switch (request.type) {
    case 'SECRET_READ': {
      if (!inputs.secret?.arn) throw new AppError('UNPROCESSABLE', 'The secret has no AWS ARN in the catalog; the security team must add it first.');
      const policy = generateGrantPolicy({ type: 'SECRET_READ', secretArn: inputs.secret.arn, kmsKeyArn: inputs.secret.kmsKeyArn }, endsAt);
      return { ...base, policy, resourceArn: inputs.secret.arn, setup: null };
    }
    case 'SECRET_REGISTER': {
      const proposed = request.proposedSecret;
      if (!proposed) throw new AppError('UNPROCESSABLE', 'The registration names no secret.');
      const { partition, accountId } = environmentAccount(principal, inputs);
      const resourceArn = secretArnPattern(partition, inputs.account.region, accountId, proposed.name);
      const setup: GrantSetup = {
        kind: 'CREATE_SECRET',
        name: proposed.name,
        description: proposed.description,
        tags: {
          team: inputs.team.slug,
          env: request.environment.toLowerCase(),
          owner: inputs.requesterEmail,
          'gatehouse:request': request.id,
          ...(proposed.rotationDays ? { 'gatehouse:rotation-days': String(proposed.rotationDays) } : {}),
        },
        teamId: inputs.team.id,
        environment: request.environment,
        rotationDays: proposed.rotationDays,
      };
      return { ...base, policy: generateGrantPolicy({ type: 'SECRET_REGISTER', secretArn: resourceArn }, endsAt), resourceArn, setup };
    }
    case 'ROLE': {
      if (!inputs.role) throw new AppError('UNPROCESSABLE', 'The request names no role of the catalog.');
      if (!inputs.role.permissions.length)
        throw new AppError('UNPROCESSABLE', 'The catalog role has no permissions; the security team must define them first.');
      const { partition, accountId } = environmentAccount(principal, inputs);
      const role = teamRoleSpec({
        partition,
        accountId,
        team: inputs.team.slug,
        environment: request.environment,
        function: inputs.role.function,
        description: inputs.role.description,
        permissions: inputs.role.permissions,
      });
      const policy = generateGrantPolicy({ type: 'ROLE', roleArn: role.arn, grantId }, endsAt);
      return { ...base, policy, resourceArn: role.arn, setup: { kind: 'TEAM_ROLE', role } };
    }
  }
}
