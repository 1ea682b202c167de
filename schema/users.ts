// Users and what they own directly: contacts (emails, phones, app/mobile connectors).
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';

export const userState = pgEnum('user_state', ['active', 'blocked', 'disabled']);

export const users = pgTable(
  'users',
  {
    id: id(),
    // Integer id for the dialects that expose integers (GitLab, the accounts API).
    databaseId: integer('database_id').generatedAlwaysAsIdentity().notNull(),
    username: text('username').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    displayName: text('display_name'),
    state: userState('state').notNull().default('active'),
    isAdmin: boolean('is_admin').notNull().default(false),
    bio: text('bio'),
    location: text('location'),
    website: text('website'),
    // Social handles (skype, linkedin, twitter, …) as a small map: their set differs by dialect.
    social: jsonb('social').$type<Record<string, string>>().notNull().default({}),
    projectsLimit: integer('projects_limit').notNull().default(10),
    canCreateGroup: boolean('can_create_group').notNull().default(true),
    external: boolean('external').notNull().default(false),
    analystConsent: boolean('analyst_consent').notNull().default(false),
    passwordHash: text('password_hash'),
    // Access tokens carry the version they were signed under (claim `ver`); raising it (password
    // change or reset, block, disable, sign-out everywhere) voids every earlier one at the next
    // request of any process, since each request with an access token reads this row anyway.
    tokenVersion: integer('token_version').notNull().default(0),
    createdAt: createdAt(),
    confirmedAt: tstz('confirmed_at'),
    lastSignInAt: tstz('last_sign_in_at'),
    currentSignInAt: tstz('current_sign_in_at'),
    // Derived, never written by the application: the value of the user's primary active email
    // contact (null when none), kept by the contacts triggers of migration 0007 in the same
    // transaction as any change to contacts, whoever makes it. Reads of a user's email (a
    // dashboard page shows 400) then need no lookup in contacts, as GitLab keeps users.email.
    primaryEmail: text('primary_email'),
  },
  (t) => [
    uniqueIndex('users_database_id_key').on(t.databaseId),
    // Usernames are unique regardless of case ("Alice" and "alice" are one account).
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
    // The users list's default order (username, id): a page reads the index, not the table.
    index('users_username_id_idx').on(t.username, t.id),
  ],
);

export const contactType = pgEnum('contact_type', ['email', 'phone', 'app', 'mobile']);
export const contactState = pgEnum('contact_state', ['active', 'disabled']);

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    databaseId: integer('database_id').generatedAlwaysAsIdentity().notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: contactType('type').notNull(),
    label: text('label'),
    value: text('value').notNull(),
    validatedAt: tstz('validated_at'),
    isPrimary: boolean('is_primary').notNull().default(false),
    state: contactState('state').notNull().default('active'),
    // `h1:` + HMAC-SHA256 (server key, kept outside this table) of the code sent to prove
    // ownership (email/SMS); cleared once validated.
    validationCodeHash: text('validation_code_hash'),
    validationSentAt: tstz('validation_sent_at'),
    // Wrong codes tried against the current one; at MAX_CODE_ATTEMPTS the code is void, so a
    // 6-digit code cannot be guessed by brute force.
    validationAttempts: integer('validation_attempts').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contacts_database_id_key').on(t.databaseId),
    index('contacts_user_id_idx').on(t.userId),
    // One email address per system among active contacts (case-insensitive).
    uniqueIndex('contacts_active_email_key')
      .on(sql`lower(${t.value})`)
      .where(sql`${t.type} = 'email' AND ${t.state} = 'active'`),
    // At most one primary contact of each type per user.
    uniqueIndex('contacts_primary_key')
      .on(t.userId, t.type)
      .where(sql`${t.isPrimary} AND ${t.state} = 'active'`),
  ],
);

export const publicKeyKind = pgEnum('public_key_kind', ['ssh', 'labelled']);

export const publicKeys = pgTable(
  'public_keys',
  {
    id: id(),
    databaseId: integer('database_id').generatedAlwaysAsIdentity().notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: publicKeyKind('kind').notNull(),
    // GitLab's title, Itsyouonline's label.
    label: text('label').notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('public_keys_database_id_key').on(t.databaseId),
    index('public_keys_user_id_idx').on(t.userId, t.createdAt),
    // An SSH key belongs to one account system-wide (GitLab: "has already been taken").
    uniqueIndex('public_keys_ssh_fingerprint_key').on(t.fingerprint).where(sql`${t.kind} = 'ssh'`),
    uniqueIndex('public_keys_user_label_key').on(t.userId, t.kind, t.label),
  ],
);

export const deviceState = pgEnum('device_state', ['active', 'revoked']);

export const devices = pgTable(
  'devices',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    state: deviceState('state').notNull().default('active'),
    // The device's public keys (Seald: encryption and signing), when it registered any.
    encryptionPublicKey: text('encryption_public_key'),
    signingPublicKey: text('signing_public_key'),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('devices_user_id_idx').on(t.userId, t.createdAt)],
);

export const identities = pgTable(
  'identities',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    externalUid: text('external_uid').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('identities_provider_uid_key').on(t.provider, t.externalUid), index('identities_user_id_idx').on(t.userId)],
);
