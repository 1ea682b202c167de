// Organizations (tenants, nested to any depth) and user memberships in them.
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, boolean, check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
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
    // Keyset pages in slug order (the lower() index above serves lookups, not this order).
    index('organizations_slug_idx').on(t.slug, t.id),
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
    // Membership pages: the first N of each organization by id (= by creation: ids are uuid v7),
    // read as a lateral LIMIT per organization straight off this index.
    index('memberships_organization_id_idx').on(t.organizationId, t.id),
  ],
);

export const orgMembershipRole = pgEnum('org_membership_role', ['owner', 'member']);

/** An organization as org-owner or org-member of another (Itsyouonline's orgowners/orgmembers). */
export const organizationMemberships = pgTable(
  'organization_memberships',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    memberOrganizationId: uuid('member_organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: orgMembershipRole('role').notNull(),
    includeSubOrganizations: boolean('include_sub_organizations').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('organization_memberships_pair_key').on(t.organizationId, t.memberOrganizationId),
    index('organization_memberships_member_idx').on(t.memberOrganizationId),
    check('organization_memberships_not_self', sql`${t.organizationId} <> ${t.memberOrganizationId}`),
  ],
);

export const invitationStatus = pgEnum('invitation_status', ['pending', 'accepted', 'rejected', 'revoked', 'expired']);
export const invitationMethod = pgEnum('invitation_method', ['website', 'email', 'phone']);

/** One invitation model for every dialect: the invitee is a user, an email, a phone or an organization. */
export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    inviteeUserId: uuid('invitee_user_id').references(() => users.id, { onDelete: 'cascade' }),
    inviteeEmail: text('invitee_email'),
    inviteePhone: text('invitee_phone'),
    inviteeOrganizationId: uuid('invitee_organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull().default('member'),
    status: invitationStatus('status').notNull().default('pending'),
    method: invitationMethod('method').notNull().default('website'),
    invitedById: uuid('invited_by_id').references(() => users.id, { onDelete: 'set null' }),
    sentAt: tstz('sent_at'),
    validUntil: tstz('valid_until').notNull(),
    acceptedAt: tstz('accepted_at'),
    declinedAt: tstz('declined_at'),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitations_organization_idx').on(t.organizationId, t.createdAt, t.id),
    index('invitations_invitee_user_idx').on(t.inviteeUserId),
    index('invitations_invitee_email_idx').on(sql`lower(${t.inviteeEmail})`),
    // At most one pending invitation per organization and invitee.
    uniqueIndex('invitations_pending_user_key').on(t.organizationId, t.inviteeUserId).where(sql`${t.status} = 'pending' AND ${t.inviteeUserId} IS NOT NULL`),
    uniqueIndex('invitations_pending_email_key')
      .on(t.organizationId, sql`lower(${t.inviteeEmail})`)
      .where(sql`${t.status} = 'pending' AND ${t.inviteeEmail} IS NOT NULL`),
    uniqueIndex('invitations_pending_phone_key')
      .on(t.organizationId, t.inviteePhone)
      .where(sql`${t.status} = 'pending' AND ${t.inviteePhone} IS NOT NULL`),
    uniqueIndex('invitations_pending_org_key')
      .on(t.organizationId, t.inviteeOrganizationId)
      .where(sql`${t.status} = 'pending' AND ${t.inviteeOrganizationId} IS NOT NULL`),
    check(
      'invitations_one_invitee',
      sql`num_nonnulls(${t.inviteeUserId}, ${t.inviteeEmail}, ${t.inviteePhone}, ${t.inviteeOrganizationId}) >= 1`,
    ),
  ],
);
