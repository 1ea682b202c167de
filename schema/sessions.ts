// Access tokens ended one by one (`logout`): their `jti` until they would have expired anyway.
// Ending every token of a user at once is users.token_version, not rows here.
import { index, pgTable, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './common.js';
import { users } from './users.js';

export const revokedAccessTokens = pgTable(
  'revoked_access_tokens',
  {
    jti: uuid('jti').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // After this the token is refused for its `exp` alone, so the row can go (logout sweeps them).
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [index('revoked_access_tokens_expires_at_idx').on(t.expiresAt)],
);
