// SQL of what Itsyouonline organizations own beyond members: API keys, registry entries,
// descriptions per language, and the settings row (logo, 2FA validity). Every statement names the
// organization in its WHERE (the tenant key of these rows); batch reads take a list of them.
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { organizationApiKeys, organizationDescriptions, organizationIyoSettings, organizationRegistryEntries } from '../../../schema/index.js';
import type { Database } from '../../core/db.js';

export type OrganizationApiKeyRow = typeof organizationApiKeys.$inferSelect;
export type OrganizationRegistryRow = typeof organizationRegistryEntries.$inferSelect;
export type OrganizationDescriptionRow = typeof organizationDescriptions.$inferSelect;
export type OrganizationSettingsRow = typeof organizationIyoSettings.$inferSelect;

// ---- API keys ----

export const findApiKeysByOrganizationIds = (db: Database, ids: readonly string[]) =>
  db
    .select()
    .from(organizationApiKeys)
    .where(inArray(organizationApiKeys.organizationId, [...ids]))
    .orderBy(asc(organizationApiKeys.createdAt), asc(organizationApiKeys.id));

export async function findApiKeyByHash(db: Database, keyHash: string): Promise<OrganizationApiKeyRow | undefined> {
  const [row] = await db.select().from(organizationApiKeys).where(eq(organizationApiKeys.keyHash, keyHash));
  return row;
}

export async function countApiKeys(db: Database, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organizationApiKeys).where(eq(organizationApiKeys.organizationId, organizationId));
  return Number(row!.n);
}

export async function insertApiKey(db: Database, values: typeof organizationApiKeys.$inferInsert): Promise<OrganizationApiKeyRow> {
  const [row] = await db.insert(organizationApiKeys).values(values).returning();
  return row!;
}

export async function updateApiKey(
  db: Database,
  organizationId: string,
  label: string,
  set: { label: string; callbackUrl: string | null; clientCredentialsGrantType: boolean },
): Promise<OrganizationApiKeyRow | undefined> {
  const [row] = await db
    .update(organizationApiKeys)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(organizationApiKeys.organizationId, organizationId), eq(organizationApiKeys.label, label)))
    .returning();
  return row;
}

export async function deleteApiKey(db: Database, organizationId: string, label: string): Promise<OrganizationApiKeyRow | undefined> {
  const [row] = await db
    .delete(organizationApiKeys)
    .where(and(eq(organizationApiKeys.organizationId, organizationId), eq(organizationApiKeys.label, label)))
    .returning();
  return row;
}

// ---- registry ----

export const findRegistryEntriesByOrganizationIds = (db: Database, ids: readonly string[]) =>
  db
    .select()
    .from(organizationRegistryEntries)
    .where(inArray(organizationRegistryEntries.organizationId, [...ids]))
    .orderBy(asc(organizationRegistryEntries.key), asc(organizationRegistryEntries.id));

export async function countOrganizationRegistryEntries(db: Database, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organizationRegistryEntries).where(eq(organizationRegistryEntries.organizationId, organizationId));
  return Number(row!.n);
}

export async function upsertOrganizationRegistryEntry(db: Database, organizationId: string, key: string, value: string): Promise<OrganizationRegistryRow> {
  const [row] = await db
    .insert(organizationRegistryEntries)
    .values({ organizationId, key, value })
    .onConflictDoUpdate({ target: [organizationRegistryEntries.organizationId, organizationRegistryEntries.key], set: { value, updatedAt: new Date() } })
    .returning();
  return row!;
}

export async function deleteOrganizationRegistryEntry(db: Database, organizationId: string, key: string): Promise<boolean> {
  const rows = await db
    .delete(organizationRegistryEntries)
    .where(and(eq(organizationRegistryEntries.organizationId, organizationId), eq(organizationRegistryEntries.key, key)))
    .returning({ id: organizationRegistryEntries.id });
  return rows.length > 0;
}

// ---- descriptions ----

export const findDescriptionsByOrganizationIds = (db: Database, ids: readonly string[]) =>
  db
    .select()
    .from(organizationDescriptions)
    .where(inArray(organizationDescriptions.organizationId, [...ids]))
    .orderBy(asc(organizationDescriptions.langKey), asc(organizationDescriptions.id));

export async function countDescriptions(db: Database, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(organizationDescriptions).where(eq(organizationDescriptions.organizationId, organizationId));
  return Number(row!.n);
}

export async function upsertDescription(db: Database, organizationId: string, langKey: string, text: string): Promise<OrganizationDescriptionRow> {
  const [row] = await db
    .insert(organizationDescriptions)
    .values({ organizationId, langKey, text })
    .onConflictDoUpdate({ target: [organizationDescriptions.organizationId, organizationDescriptions.langKey], set: { text, updatedAt: new Date() } })
    .returning();
  return row!;
}

export async function deleteDescription(db: Database, organizationId: string, langKey: string): Promise<boolean> {
  const rows = await db
    .delete(organizationDescriptions)
    .where(and(eq(organizationDescriptions.organizationId, organizationId), eq(organizationDescriptions.langKey, langKey)))
    .returning({ id: organizationDescriptions.id });
  return rows.length > 0;
}

// ---- settings (logo, 2FA validity) ----

export const findSettingsByOrganizationIds = (db: Database, ids: readonly string[]) =>
  db.select().from(organizationIyoSettings).where(inArray(organizationIyoSettings.organizationId, [...ids]));

/** Writes the given settings of the organization (the row is made on the first write); others keep their value. */
export async function upsertSettings(db: Database, organizationId: string, set: { logo?: string | null; twoFactorValiditySeconds?: number | null }): Promise<void> {
  await db
    .insert(organizationIyoSettings)
    .values({ organizationId, ...set, updatedAt: new Date() })
    .onConflictDoUpdate({ target: organizationIyoSettings.organizationId, set: { ...set, updatedAt: sql`now()` } });
}
