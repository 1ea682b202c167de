// The Seald dashboard's admin side (issue 23): TOTP second factors of users (one implementation
// for the whole graph), dashboard sessions, password-reset challenges, SSKS API keys and users
// disabled from a team. Every secret is stored as a hash, except the TOTP secret, which the
// server needs in clear to compute codes (it is never logged and never read back by an API
// after set-up).
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { personalAccessTokens } from './auth.js';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';
import { users } from './users.js';

/** A user's TOTP (RFC 6238) factor: pending until confirmed with a code (enabledAt set). */
export const userTotp = pgTable('user_totp', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  // Base32 secret. Needed in clear to compute codes; never returned after set-up.
  secret: text('secret').notNull(),
  enabledAt: tstz('enabled_at'),
  // The last 30-second time step a code was accepted for: a code of this step or an earlier
  // one is refused, so a code seen by someone else cannot be replayed within its window.
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: createdAt(),
});

/** Single-use recovery codes of a TOTP factor, as sha256 hashes (they are random, 50+ bits). */
export const totpRecoveryCodes = pgTable(
  'totp_recovery_codes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('totp_recovery_codes_user_idx').on(t.userId), uniqueIndex('totp_recovery_codes_hash_key').on(t.userId, t.codeHash)],
);

/**
 * A dashboard session: a personal API token bound to the team, carried in an HttpOnly cookie
 * instead of a header. The row marks the token as a session (the team's API token list leaves
 * it out; logout revokes it), so sessions share every rule of tokens (revocation at once,
 * expiry, the credential cache).
 */
export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    id: id(),
    tokenId: uuid('token_id')
      .notNull()
      .references(() => personalAccessTokens.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dashboard_sessions_token_key').on(t.tokenId), index('dashboard_sessions_user_idx').on(t.userId)],
);

/** A mailed password-reset challenge (sha256), valid for a while, for a few attempts, once. */
export const passwordResetChallenges = pgTable(
  'password_reset_challenges',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    challengeHash: text('challenge_hash').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: tstz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('password_reset_challenges_user_idx').on(t.userId, t.createdAt)],
);

/** API keys a team gives its SSKS (key storage) server; sha256, shown once. */
export const ssksApiKeys = pgTable(
  'ssks_api_keys',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    keyHash: text('key_hash').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('ssks_api_keys_hash_key').on(t.keyHash), index('ssks_api_keys_organization_idx').on(t.organizationId)],
);

/** A user disabled from a team (Seald's team_user_disable): still a member row, still readable. */
export const teamUserDisables = pgTable(
  'team_user_disables',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    disabledById: uuid('disabled_by_id').references(() => users.id, { onDelete: 'set null' }),
    disabledAt: tstz('disabled_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('team_user_disables_key').on(t.organizationId, t.userId), index('team_user_disables_user_idx').on(t.userId)],
);

/**
 * A team's JWT shared secret (Seald's anonymous access): a third party signs HS256 JWTs with it,
 * which act inside the team with exactly `permissions` (-1 all, 0 create messages, 1 retrieve
 * keys, 2 retrieve sigchains). HMAC needs the secret itself, so it is stored as is (and listed to
 * the team's admins, as Seald's API does); it is never logged.
 */
export const jwtSharedSecrets = pgTable(
  'jwt_shared_secrets',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    sharedSecret: text('shared_secret').notNull(),
    permissions: jsonb('permissions').$type<number[]>().notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('jwt_shared_secrets_organization_idx').on(t.organizationId, t.createdAt)],
);

/** `jti`s of accepted shared-secret JWTs, kept until the JWT expires: each is accepted once. */
export const jwtUsedIds = pgTable(
  'jwt_used_ids',
  {
    secretId: uuid('secret_id')
      .notNull()
      .references(() => jwtSharedSecrets.id, { onDelete: 'cascade' }),
    jti: text('jti').notNull(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.secretId, t.jti] }), index('jwt_used_ids_expires_idx').on(t.expiresAt)],
);

/** A user's signature-chain transactions (Seald's sigchain), in chain order. */
export const sigchainTransactions = pgTable(
  'sigchain_transactions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    transaction: jsonb('transaction').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sigchain_transactions_user_position_key').on(t.userId, t.position)],
);

/**
 * A team's domain validation key: the team proves it controls `domain`, and may then add
 * prevalidated connectors (email addresses) on it for its users. The key is shown to the team's
 * admins (it is what they publish), so it is stored as is; refresh replaces it.
 */
export const domainValidationKeys = pgTable(
  'domain_validation_keys',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    key: text('key').notNull(),
    createdAt: createdAt(),
    refreshedAt: tstz('refreshed_at'),
  },
  (t) => [uniqueIndex('domain_validation_keys_org_domain_key').on(t.organizationId, t.domain)],
);
