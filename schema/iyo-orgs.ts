// What Itsyouonline adds to organizations: the DNS names an organization claims and the scopes
// it requires its members to grant it (rest/iyo/orgs.routes.ts). Both go with the organization.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common.js';
import { organizations } from './organizations.js';

/** A DNS name claimed by one organization: a name belongs to at most one organization (409 otherwise). */
export const organizationDnsNames = pgTable(
  'organization_dns_names',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organization_dns_names_name_key').on(sql`lower(${t.name})`), index('organization_dns_names_organization_idx').on(t.organizationId, t.id)],
);

/**
 * A scope members must grant the organization (Itsyouonline's `requiredscopes`), with who may
 * see what is shared (`accessscopes`, e.g. `organization:owner`). One row per (organization, scope).
 */
export const organizationRequiredScopes = pgTable(
  'organization_required_scopes',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    accessScopes: jsonb('access_scopes').$type<string[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organization_required_scopes_org_scope_key').on(t.organizationId, t.scope)],
);
