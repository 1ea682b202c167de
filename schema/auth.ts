// Credentials that are not passwords: personal API tokens (stored as hashes) and the
// key pair that signs access tokens (kept in the database so every process shares it).
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';
import { users } from './users.js';

export const personalAccessTokens = pgTable(
  'personal_access_tokens',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // When set, the token acts inside this organization only.
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // sha256 of the token: tokens are 256-bit random values, so a fast hash is enough and
    // lets the lookup be an index probe. The plaintext is shown once, at creation.
    tokenHash: text('token_hash').notNull(),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    expiresAt: tstz('expires_at'),
    revokedAt: tstz('revoked_at'),
    lastUsedAt: tstz('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('personal_access_tokens_hash_key').on(t.tokenHash), index('personal_access_tokens_user_id_idx').on(t.userId)],
);

export const signingKeys = pgTable('signing_keys', {
  // One row per purpose ("access_token"); the first process to start inserts it.
  purpose: text('purpose').primaryKey(),
  kid: text('kid').notNull(),
  algorithm: text('algorithm').notNull(),
  privateKeyPem: text('private_key_pem').notNull(),
  publicKeyPem: text('public_key_pem').notNull(),
  meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
});
