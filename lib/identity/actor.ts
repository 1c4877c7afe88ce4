/** The portal's roles, as stored (see prisma/schema.prisma `AppRole`). */
export const APP_ROLES = ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export interface ActorTeam {
  id: string;
  slug: string;
  name: string;
  isLead: boolean;
}

/** What a personal API token may be used for; lib/server/auth/permissions.ts maps each action to one. */
export const TOKEN_SCOPES = ['read', 'request', 'decide'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The personal API token a caller authenticated with (docs/decisions/045-api-tokens.md). */
export interface ActorToken {
  id: string;
  scopes: TokenScope[];
}

/** Who is acting: the signed-in user as every authorization check sees them. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  roles: AppRole[];
  teams: ActorTeam[];
  /**
   * When this caller last signed in (the session's auth time), for the prod step-up
   * (lib/identity/step-up.ts). Absent for a caller that is not a portal session (an API token, a
   * Slack user): such callers cannot step up, so they cannot decide on prod.
   */
  signedInAt?: Date | null;
  /** Set only for an API call made with a personal token: its scopes further limit what the roles allow. */
  token?: ActorToken;
}

/** True when the actor holds the role. */
export function hasRole(actor: Pick<Actor, 'roles'>, role: AppRole): boolean {
  return actor.roles.includes(role);
}
