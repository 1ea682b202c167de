// Organizations (tenants, nested to any depth) and user memberships in them.
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, boolean, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common.js';
import { users } from './users.js';

export const organizations = pgTable(
  'organizations',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => organizations.id, { onDelete: 'restrict' }),
    quotaLimit: bigint('quota_limit', { mode: 'number' }),
    quotaUsage: bigint('quota_usage', { mode: 'number' }).notNull().default(0),
    quotaOverride: boolean('quota_override').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('organizations_slug_lower_key').on(sql`lower(${t.slug})`),
    index('organizations_parent_id_idx').on(t.parentId),
  ],
);

export const membershipRole = pgEnum('membership_role', ['owner', 'admin', 'member']);

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull().default('member'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_user_org_key').on(t.userId, t.organizationId),
    index('memberships_organization_id_idx').on(t.organizationId),
  ],
);
