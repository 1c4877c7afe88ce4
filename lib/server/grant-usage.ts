import 'server-only';
import type { Environment } from '@/lib/environments';
import { TEAM_ROLE_MAX_SESSION_SECONDS } from '@/lib/grants/policy';
import { grantUsage, type GrantUsage } from '@/lib/grants/usage';
import { cloudFor } from '@/lib/server/cloud/adapters';
import type { GrantView } from '@/lib/server/db/repositories/grants';

/** How to use a grant of a request in `environment` (a team role is used in that environment's primary region). */
export function usageOfGrant(
  grant: Pick<GrantView, 'id' | 'kind' | 'resourceArn' | 'endsAt' | 'setup'>,
  environment: Environment,
  now: Date,
): GrantUsage | null {
  return grantUsage({
    kind: grant.kind,
    grantId: grant.id,
    resourceArn: grant.resourceArn,
    region: cloudFor(environment).route.primaryRegion,
    endsAt: grant.endsAt,
    now,
    maxSessionSeconds: grant.setup?.kind === 'TEAM_ROLE' ? grant.setup.role.maxSessionSeconds : TEAM_ROLE_MAX_SESSION_SECONDS,
  });
}
