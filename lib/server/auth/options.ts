import 'server-only';
import { randomUUID } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import type { Actor } from '@/lib/identity/actor';
import { mapSsoGroups } from '@/lib/identity/sso-claims';
import { safeCallbackPath } from '@/lib/security/redirect';
import { safeText } from '@/lib/security/text';
import { actorForSession, currentSessionClaims, endSession, forgetActor } from '@/lib/server/auth/guards';
import { authSecret } from '@/lib/server/auth/secret';
import { noteReSignIn, SESSION_MAX_AGE_SECONDS, signInTimeOf } from '@/lib/server/auth/step-up';
import { findActiveActor, findUserIdByExternalId, recordSignIn, upsertSsoUser } from '@/lib/server/db/repositories/users';
import { env } from '@/lib/server/env';
import { requestOrigin } from '@/lib/server/http/origin';

declare module 'next-auth' {
  interface Session {
    user?: Actor;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    /** The session's id, fixed at sign-in; sign-out revokes it on the server (docs/decisions/031). */
    sid?: string;
    /** When the user signed in, seconds since the epoch: the prod step-up's clock (docs/decisions/046-step-up.md). */
    authTime?: number;
  }
}

const localCredentialsSchema = z.object({ userId: safeText(z.string().min(1).max(64)) });
const ssoProfileSchema = z.object({
  sub: z.string().min(1),
  email: z.email(),
  name: z.string().min(1).optional(),
  preferred_username: z.string().min(1).optional(),
});

/** next-auth configuration: OIDC from env for production, or the local user picker (docs/decisions/003-auth.md). */
export function authOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions['providers'] =
    e.GATEHOUSE_AUTH === 'oidc'
      ? [
          {
            id: 'oidc',
            name: e.OIDC_NAME,
            type: 'oauth',
            wellKnown: `${e.OIDC_ISSUER!.replace(/\/$/, '')}/.well-known/openid-configuration`,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            authorization: { params: { scope: 'openid email profile' } },
            idToken: true,
            checks: ['pkce', 'state'],
            profile(profile: Record<string, unknown>) {
              const p = ssoProfileSchema.parse(profile);
              return { id: p.sub, email: p.email, name: p.name ?? p.preferred_username ?? p.email };
            },
          },
        ]
      : [
          CredentialsProvider({
            id: 'local',
            name: 'Local users',
            credentials: { userId: { label: 'User id', type: 'text' } },
            async authorize(credentials) {
              const parsed = localCredentialsSchema.safeParse(credentials);
              if (!parsed.success) return null;
              const actor = await findActiveActor(parsed.data.userId);
              if (!actor) return null;
              await recordSignIn(actor.id);
              return { id: actor.id, name: actor.name, email: actor.email };
            },
          }),
        ];

  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin', error: '/signin' },
    providers,
    callbacks: {
      // After sign-in or sign-out: only back to this site (lib/security/redirect.ts).
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, baseUrl)}`;
      },
      async signIn({ account, profile }) {
        if (account?.provider !== 'oidc') return true;
        const p = ssoProfileSchema.safeParse(profile);
        if (!p.success) return false;
        const access = mapSsoGroups((profile as Record<string, unknown>)[e.OIDC_GROUPS_CLAIM], e.OIDC_ROLE_MAP, e.OIDC_TEAM_PREFIX);
        const actor = await upsertSsoUser({
          subject: p.data.sub,
          email: p.data.email,
          name: p.data.name ?? p.data.preferred_username ?? p.data.email,
          ...access,
        });
        if (!actor) return false;
        // Roles and teams just changed with the groups: this process's sessions of the user see it
        // now, not after the actor cache's few seconds (other replicas follow within those).
        forgetActor(actor.id);
        return true;
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === 'local' && user) token.uid = user.id;
        if (account?.provider === 'oidc' && user) token.uid = (await findUserIdByExternalId(user.id)) ?? undefined;
        // A new session at each sign-in; the id survives next-auth's re-encoding of the cookie.
        if (user) token.sid = randomUUID();
        // The sign-in time rides in the session for the prod step-up: now for local sign-in, the
        // id_token's auth_time for single sign-on (docs/decisions/046-step-up.md).
        if (user) token.authTime = signInTimeOf(account?.provider, profile);
        // Signing in again over a live session of the same user is a step-up (the max_age round
        // trip): audited, and the replaced session ended. Outside a request (tests) there is none.
        if (user && account?.provider === 'oidc' && token.uid) {
          const [previous, origin] = await Promise.all([currentSessionClaims().catch(() => null), requestOrigin().catch(() => null)]);
          await noteReSignIn(previous, token, { id: token.uid, name: user.name ?? user.email ?? token.uid }, origin);
        }
        return token;
      },
      // The same check as every page, action and route (getActor): a session ended on the server
      // has no user; roles and teams come from the database, not from the cookie.
      async session({ session, token }) {
        const actor = token.uid && token.sid ? await actorForSession({ uid: token.uid, sid: token.sid }) : null;
        return { ...session, user: actor ?? undefined };
      },
    },
    events: {
      // Sign-out ends the session wherever its cookie is used, not only in this browser.
      async signOut({ token }) {
        if (token) await endSession(token);
      },
    },
  };
}
