// At start with MASTER_KEY: the secrets the services keep that were stored before the key was set
// (TOTP secrets, teams' JWT shared secrets, webhook signing secrets) are sealed now, as the
// signing and validation-code keys are (core/auth/server-secrets.ts loadOrCreateSecret). Each
// row is rewritten only if it still holds the value read (a conditional update), so two processes
// starting at once, or a user changing their factor meanwhile, never lose a write. Purposes are
// the ones each module opens its secrets with.
import { notLike, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { jwtSharedSecrets, userTotp } from '../../../schema/dashboard.js';
import { webhooks } from '../../../schema/webhooks.js';
import { SEALED_PREFIX, seal } from '../../core/auth/sealed.js';
import { rowsOf, type Database } from '../../core/db.js';
import { JWT_SECRET_PURPOSE } from '../auth/team-jwt.js';
import { TOTP_PURPOSE } from '../users/totp.service.js';
import { WEBHOOK_SECRET_PURPOSE } from '../webhooks/webhook.sender.js';

interface Kept {
  table: PgTable;
  key: AnyPgColumn;
  value: AnyPgColumn;
  purpose: string;
}

const KEPT: Kept[] = [
  { table: userTotp, key: userTotp.userId, value: userTotp.secret, purpose: TOTP_PURPOSE },
  { table: jwtSharedSecrets, key: jwtSharedSecrets.id, value: jwtSharedSecrets.sharedSecret, purpose: JWT_SECRET_PURPOSE },
  { table: webhooks, key: webhooks.id, value: webhooks.secret, purpose: WEBHOOK_SECRET_PURPOSE },
];

const BATCH = 500;

/** Seals every stored secret still in the clear; returns how many it sealed (0 without a master key). */
export async function sealStoredSecrets(db: Database, masterKey: Buffer | undefined): Promise<number> {
  if (!masterKey) return 0;
  let sealed = 0;
  for (const k of KEPT) {
    for (;;) {
      const rows = (await db.select({ key: k.key, value: k.value }).from(k.table).where(notLike(k.value, `${SEALED_PREFIX}%`)).limit(BATCH)) as { key: string; value: string }[];
      let pass = 0;
      for (const r of rows) {
        const changed = await db.execute(
          sql`update ${k.table} set ${sql.identifier(k.value.name)} = ${seal(r.value, masterKey, k.purpose)} where ${k.key} = ${r.key} and ${k.value} = ${r.value} returning 1`,
        );
        pass += rowsOf(changed).length;
      }
      sealed += pass;
      // Fewer than a batch left, or none of them could be sealed (each changed meanwhile): done.
      if (rows.length < BATCH || pass === 0) break;
    }
  }
  return sealed;
}
