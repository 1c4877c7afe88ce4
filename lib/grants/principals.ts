/**
 * An IAM identity a managed policy can be attached to. A user, role or group name is unique in
 * its account whatever its path, so kind and name identify it: IAM lists a policy's attachments
 * by name only (ListEntitiesForPolicy returns no path), and an ARN rebuilt from a name would lose
 * the path (`user/engineers/daniel` is not `user/daniel`).
 */
export interface PrincipalRef {
  kind: 'IAM_USER' | 'IAM_ROLE' | 'IAM_GROUP';
  /** IAM user, role or group name (no path). */
  name: string;
}

/** The AWS identity a grant attaches to. */
export interface Principal extends PrincipalRef {
  kind: 'IAM_USER' | 'IAM_ROLE';
  arn: string;
}

// IAM principals are compared by kind and name, never by an ARN: IAM lists attachments by name
// only, and a user's or role's ARN carries its path (decision 025, "principals with a path").

/** True when both name the same user, role or group (names are unique per kind in an account). */
export function samePrincipal(a: PrincipalRef, b: PrincipalRef): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** Orders principals by kind, then name, so that listings compare equal whatever order IAM used. */
export function comparePrincipals(a: PrincipalRef, b: PrincipalRef): number {
  return a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1;
}

const RESOURCE = { IAM_USER: 'user', IAM_ROLE: 'role', IAM_GROUP: 'group' } as const;

/** How a page shows an attachment: `user/daniel`, `group/developers`, `role/deployer` (IAM gives no path). */
export function principalLabel(p: PrincipalRef): string {
  return `${RESOURCE[p.kind]}/${p.name}`;
}

/** The path of an IAM user's or role's ARN: `/engineers/` for `…:user/engineers/daniel`, `/` without one. */
export function pathFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.slice(resource.indexOf('/'), resource.lastIndexOf('/') + 1) || '/';
}

/** The IAM user or role an ARN names: `arn:aws:iam::<account>:user/<path/>name` or `…:role/<path/>name`. */
export function principalFromArn(arn: string): Principal {
  return { kind: arn.includes(':user/') ? 'IAM_USER' : 'IAM_ROLE', name: arn.slice(arn.lastIndexOf('/') + 1), arn };
}
