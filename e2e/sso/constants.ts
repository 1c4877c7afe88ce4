import { E2E_BASE_URL, E2E_PORT } from '../fixtures/constants';

/** The test identity provider's port: E2E_IDP_PORT, else the portal's port + 90 (3210 -> 3300). */
export const IDP_PORT = Number(process.env.E2E_IDP_PORT) || E2E_PORT + 90;
export const IDP_ISSUER = `http://127.0.0.1:${IDP_PORT}`;
export const IDP_NAME = 'Test IdP';
export const CLIENT_ID = 'gatehouse-e2e';
/** The portal's client secret at the test identity provider (test only). */
export const CLIENT_SECRET = 'e2e-only-oidc-client-secret-0123456789';
export const REDIRECT_URI = `${E2E_BASE_URL}/api/auth/callback/oidc`;
/** Groups -> roles as the portal is configured in the suite (OIDC_ROLE_MAP). */
export const ROLE_MAP = 'gatehouse-security=SECURITY,gatehouse-admins=ADMIN';

/** The identity provider's users; each password is `<username>-pw`. */
export const IDP_USERS = {
  ana: { email: 'ana.sso@example.com', name: 'Ana Security', groups: ['gatehouse-security', 'team-payments'] },
  // A user the portal knew before single sign-on (seeded, with AWS identities): matched by email.
  minji: { email: 'minji.kim@example.com', name: 'Minji Kim', groups: ['team-payments'] },
  cho: { email: 'cho.sso@example.com', name: 'Cho Signout', groups: ['team-data'] },
} as const;
export type IdpUser = keyof typeof IDP_USERS;
