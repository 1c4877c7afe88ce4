import 'server-only';
import type { AuditActor, RequestOrigin } from '@/lib/audit/model';
import type { CatalogStore } from '@/lib/catalog/ports';
import type { UpdateRuleInput, UpsertRoleInput, UpsertSecretInput } from '@/lib/catalog/schemas';
import * as service from '@/lib/catalog/service';
import type { ControlPlaneContext } from '@/lib/control-plane/ports';
import { controlPlaneContext } from '@/lib/server/control-plane';
import { createCatalogStore } from '@/lib/server/db/repositories/catalog-write';

/** The catalog's ports, wired to the portal's database and the control plane's configuration. */
export function catalogDeps(ctx: ControlPlaneContext = controlPlaneContext(), store: CatalogStore = createCatalogStore()): service.CatalogDeps {
  return { store, ctx };
}

/** Adds or edits a catalog secret (lib/catalog/service.ts upsertSecret). */
export function upsertSecret(input: UpsertSecretInput, actor: AuditActor, origin: RequestOrigin | null, ctx?: ControlPlaneContext, store?: CatalogStore) {
  return service.upsertSecret(catalogDeps(ctx, store), input, actor, origin);
}

/** Adds or edits a catalog role (lib/catalog/service.ts upsertRole). */
export function upsertRole(input: UpsertRoleInput, actor: AuditActor, origin: RequestOrigin | null, ctx?: ControlPlaneContext, store?: CatalogStore) {
  return service.upsertRole(catalogDeps(ctx, store), input, actor, origin);
}

/** Proposes an approval rule (lib/catalog/service.ts updateRule). */
export function updateRule(input: UpdateRuleInput, actor: AuditActor, origin: RequestOrigin | null, ctx?: ControlPlaneContext, store?: CatalogStore) {
  return service.updateRule(catalogDeps(ctx, store), input, actor, origin);
}
