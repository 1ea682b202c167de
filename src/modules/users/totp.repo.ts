// SQL for TOTP factors and their recovery codes (schema/dashboard.ts). No permission checks.
import { and, count, eq, isNotNull, isNull, lt, ne, or } from 'drizzle-orm';
import { totpRecoveryCodes, userTotp } from '../../../schema/dashboard.js';
import { contacts, users } from '../../../schema/users.js';
import type { Database } from '../../core/db.js';

export type TotpRow = typeof userTotp.$inferSelect;

export async function findTotp(db: Database, userId: string): Promise<TotpRow | undefined> {
  const [row] = await db.select().from(userTotp).where(eq(userTotp.userId, userId));
  return row;
}

/** A new pending secret (replacing a pending one; an enabled factor is never replaced here). */
export async function upsertPendingTotp(db: Database, userId: string, secret: string): Promise<void> {
  await db
    .insert(userTotp)
    .values({ userId, secret })
    .onConflictDoUpdate({ target: userTotp.userId, set: { secret, enabledAt: null, lastUsedStep: null, createdAt: new Date() } });
}

export async function enableTotp(db: Database, userId: string, at: Date): Promise<void> {
  await db.update(userTotp).set({ enabledAt: at }).where(eq(userTotp.userId, userId));
}

export async function deleteTotp(db: Database, userId: string): Promise<void> {
  await db.delete(userTotp).where(eq(userTotp.userId, userId));
  await db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, userId));
}

/**
 * Marks `step` used when it is later than the last used one, atomically: of two requests with the
 * same code only one gets a row back. False: the code (or an older one) was already used.
 */
export async function claimTotpStep(db: Database, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(userTotp)
    .set({ lastUsedStep: step })
    .where(and(eq(userTotp.userId, userId), or(isNull(userTotp.lastUsedStep), lt(userTotp.lastUsedStep, step))))
    .returning({ userId: userTotp.userId });
  return rows.length === 1;
}

export async function replaceRecoveryCodes(db: Database, userId: string, hashes: string[]): Promise<void> {
  await db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.userId, userId));
  if (hashes.length) await db.insert(totpRecoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
}

/** Uses a recovery code once: true when an unused one matched (and is now used). */
export async function useRecoveryCode(db: Database, userId: string, codeHash: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(totpRecoveryCodes)
    .set({ usedAt: at })
    .where(and(eq(totpRecoveryCodes.userId, userId), eq(totpRecoveryCodes.codeHash, codeHash), isNull(totpRecoveryCodes.usedAt)))
    .returning({ id: totpRecoveryCodes.id });
  return rows.length === 1;
}

export async function countUnusedRecoveryCodes(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(totpRecoveryCodes)
    .where(and(eq(totpRecoveryCodes.userId, userId), isNull(totpRecoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

/**
 * Locks the user's row until the transaction ends (call inside one). Removing TOTP and removing
 * the last validated phone each check the other factor under this lock, so two concurrent
 * removals cannot leave an Itsyouonline user with no second factor.
 */
export async function lockUser(db: Database, userId: string): Promise<void> {
  await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}

/** Whether the user has an active, validated phone number (besides `exceptId`): Itsyouonline's SMS factor. */
export async function hasValidatedPhone(db: Database, userId: string, exceptId?: string): Promise<boolean> {
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.userId, userId),
        eq(contacts.type, 'phone'),
        eq(contacts.state, 'active'),
        isNotNull(contacts.validatedAt),
        exceptId === undefined ? undefined : ne(contacts.id, exceptId),
      ),
    )
    .limit(1);
  return rows.length === 1;
}
