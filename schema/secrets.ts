// Server secrets that are not key pairs (the validation-code HMAC key), generated on first
// start and shared by every process on the database; sealed with MASTER_KEY when it is set
// (src/core/auth/sealed.ts), else stored as they are.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './common.js';

export const serverSecrets = pgTable('server_secrets', {
  // One row per purpose ("validation_code_hmac"); the first process to start inserts it.
  purpose: text('purpose').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
