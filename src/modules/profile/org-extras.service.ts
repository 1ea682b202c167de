// The rules of an Itsyouonline organization's own data (access: org-access.ts):
// - API keys by label (2–50 of letters, digits, "-", "_", spaces): the secret is generated here,
//   shown once in the creation's answer and stored as its sha256; a key with
//   clientCredentialsGrantType acts as the organization (authenticateOrganizationApiKey);
//   deleting a key ends it at the next request. At most API_KEYS_MAX per organization.
// - the registry: the users' registry rule (registry.service.ts checkRegistryEntry), per organization;
// - descriptions per language key (`en`, `nl`, `pt-br`, … stored in lower case); the fallback
//   is English (DEFAULT_LANGUAGE), as the original service did;
// - the logo: any text (clients send a data URL), kept and answered exactly as given, at most
//   LOGO_MAX characters (PAYLOAD_TOO_LARGE);
// - the 2FA validity in seconds: default 604800 (7 days), a new value clamped to 0 … 2678400
//   (31 days) as the original service did.
// Each change commits with its event-log row.
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../context.js';
import type { Principal } from '../../core/auth/principal.js';
import { hashToken } from '../../core/auth/secrets.js';
import type { Database } from '../../core/db.js';
import { conflict, DomainError, notFound, unauthenticated, validation } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isPlainText } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { organizationForChange } from './org-access.js';
import {
  countApiKeys,
  countDescriptions,
  countOrganizationRegistryEntries,
  deleteApiKey,
  deleteDescription,
  deleteOrganizationRegistryEntry,
  findApiKeyByHash,
  insertApiKey,
  updateApiKey,
  upsertDescription,
  upsertOrganizationRegistryEntry,
  upsertSettings,
  type OrganizationApiKeyRow,
  type OrganizationDescriptionRow,
  type OrganizationRegistryRow,
} from './org-extras.repo.js';
import { checkRegistryEntry, REGISTRY_MAX_ENTRIES } from './registry.service.js';

type Ctx = ServiceContext;

export const API_KEYS_MAX = 50;
export const DESCRIPTIONS_MAX = 50;
export const DESCRIPTION_TEXT_MAX = 10_000;
export const LOGO_MAX = 512 * 1024;
export const DEFAULT_LANGUAGE = 'en';
export const TWO_FACTOR_VALIDITY_DEFAULT = 604_800;
export const TWO_FACTOR_VALIDITY_MAX = 2_678_400;
/** Organization API keys carry their own prefix: the credential reader knows which table to ask. */
export const ORGANIZATION_KEY_PREFIX = 'igwo_';

const LABEL = /^[a-zA-Z\d\-_\s]{2,50}$/;
const LANG_KEY = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

function checkApiKeyLabel(label: string, field = 'label'): string {
  if (!LABEL.test(label)) throw validation(field, 'A label is 2 to 50 letters, digits, "-", "_" or spaces');
  return label;
}

function checkCallbackUrl(url: string | null | undefined): string | null {
  if (url == null || url === '') return null;
  let ok = false;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'https:' || u.protocol === 'http:') && url.length <= 250;
  } catch {
    ok = false;
  }
  if (!ok) throw validation('callbackUrl', 'callbackURL is an http(s) URL of at most 250 characters');
  return url;
}

/** A language key in its stored form (lower case), or VALIDATION_FAILED. */
export function checkLangKey(langKey: string, field = 'langKey'): string {
  const k = langKey.toLowerCase();
  if (!LANG_KEY.test(k)) throw validation(field, 'A language key is a language code such as "en", "nl" or "pt-br"');
  return k;
}

// ---- API keys ----

/** The organization's API keys (its owners; others none). */
export async function apiKeysOf(ctx: Ctx, organizationId: string): Promise<OrganizationApiKeyRow[]> {
  if (!(await ctx.authz.can('organization:update', { organizationId }))) return [];
  return ctx.loaders.apiKeysByOrganizationId.load(organizationId);
}

export interface ApiKeyInput {
  organization: string;
  label: string;
  callbackUrl?: string | null;
  clientCredentialsGrantType?: boolean | null;
}

/** Makes a key; the secret is in this answer only. */
export async function createOrganizationApiKey(ctx: Ctx, input: ApiKeyInput): Promise<{ key: OrganizationApiKeyRow; secret: string }> {
  const org = await organizationForChange(ctx, input.organization, 'its API keys');
  const label = checkApiKeyLabel(input.label);
  const callbackUrl = checkCallbackUrl(input.callbackUrl);
  const secret = ORGANIZATION_KEY_PREFIX + randomBytes(32).toString('base64url');
  try {
    const key = await ctx.db.transaction(async (tx) => {
      if ((await countApiKeys(tx, org.id)) >= API_KEYS_MAX) throw new DomainError('PRECONDITION_FAILED', `At most ${API_KEYS_MAX} API keys per organization`);
      const row = await insertApiKey(tx, { organizationId: org.id, label, keyHash: hashToken(secret), callbackUrl, clientCredentialsGrantType: input.clientCredentialsGrantType === true });
      await recordEvent(tx, ctx, { action: 'organizationApiKey.create', organizationId: org.id, data: { apiKeyId: row.id, label } });
      return row;
    });
    ctx.loaders.apiKeysByOrganizationId.clear(org.id);
    return { key, secret };
  } catch (err) {
    if (isUniqueViolation(err, 'organization_api_keys_org_label_key')) throw conflict('label', 'Label is already used');
    throw err;
  }
}

/** Changes a key's label, callback URL or grant type (its secret stays). */
export async function updateOrganizationApiKey(ctx: Ctx, input: ApiKeyInput & { newLabel: string }): Promise<OrganizationApiKeyRow> {
  const org = await organizationForChange(ctx, input.organization, 'its API keys');
  const newLabel = checkApiKeyLabel(input.newLabel, 'newLabel');
  const callbackUrl = checkCallbackUrl(input.callbackUrl);
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const r = await updateApiKey(tx, org.id, input.label, { label: newLabel, callbackUrl, clientCredentialsGrantType: input.clientCredentialsGrantType === true });
      if (!r) throw notFound('API key not found');
      await recordEvent(tx, ctx, { action: 'organizationApiKey.update', organizationId: org.id, data: { apiKeyId: r.id, from: input.label, to: newLabel, clientCredentialsGrantType: r.clientCredentialsGrantType } });
      return r;
    });
    ctx.loaders.apiKeysByOrganizationId.clear(org.id);
    return row;
  } catch (err) {
    if (isUniqueViolation(err, 'organization_api_keys_org_label_key')) throw conflict('newLabel', 'New label is already used');
    throw err;
  }
}

/** Deletes a key: the next request with it is refused (keys are never cached). */
export async function deleteOrganizationApiKey(ctx: Ctx, input: { organization: string; label: string }): Promise<void> {
  const org = await organizationForChange(ctx, input.organization, 'its API keys');
  await ctx.db.transaction(async (tx) => {
    const r = await deleteApiKey(tx, org.id, input.label);
    if (!r) throw notFound('API key not found');
    await recordEvent(tx, ctx, { action: 'organizationApiKey.delete', organizationId: org.id, data: { apiKeyId: r.id, label: r.label } });
  });
  ctx.loaders.apiKeysByOrganizationId.clear(org.id);
}

/**
 * The organization principal of a key; null when no key has this secret (it may still be a
 * personal token that happens to share the prefix: ADMIN_TOKEN is chosen freely); UNAUTHENTICATED
 * for a key that may not act as its organization. Read fresh on every request (never cached), so
 * a deleted key or one whose grant type was turned off ends at once, in every process.
 */
export async function authenticateOrganizationApiKey(db: Database, token: string): Promise<Principal | null> {
  const row = await findApiKeyByHash(db, hashToken(token));
  if (!row) return null;
  if (!row.clientCredentialsGrantType) throw unauthenticated('This API key may not act as its organization (clientCredentialsGrantType is false)');
  return { kind: 'organization', organizationId: row.organizationId, apiKeyId: row.id };
}

// ---- registry ----

/** The organization's registry (whoever may read the organization). */
export async function organizationRegistryOf(ctx: Ctx, organizationId: string): Promise<OrganizationRegistryRow[]> {
  if (!(await ctx.authz.can('organization:read', { organizationId }))) return [];
  return ctx.loaders.registryEntriesByOrganizationId.load(organizationId);
}

export async function setOrganizationRegistryEntry(ctx: Ctx, input: { organization: string; key: string; value: string }): Promise<OrganizationRegistryRow> {
  const org = await organizationForChange(ctx, input.organization, 'its registry');
  checkRegistryEntry(input.key, input.value);
  // Read before the transaction: the loaders read outside it (on one connection, PGlite, a read
  // outside an open transaction would wait for it).
  const exists = (await ctx.loaders.registryEntriesByOrganizationId.load(org.id)).some((e) => e.key === input.key);
  const row = await ctx.db.transaction(async (tx) => {
    if (!exists && (await countOrganizationRegistryEntries(tx, org.id)) >= REGISTRY_MAX_ENTRIES) throw validation('key', `At most ${REGISTRY_MAX_ENTRIES} registry entries`);
    const r = await upsertOrganizationRegistryEntry(tx, org.id, input.key, input.value);
    await recordEvent(tx, ctx, { action: 'organizationRegistry.set', organizationId: org.id, data: { key: input.key, overwritten: exists } });
    return r;
  });
  ctx.loaders.registryEntriesByOrganizationId.clear(org.id);
  return row;
}

export async function removeOrganizationRegistryEntry(ctx: Ctx, input: { organization: string; key: string }): Promise<void> {
  const org = await organizationForChange(ctx, input.organization, 'its registry');
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteOrganizationRegistryEntry(tx, org.id, input.key))) throw notFound('Registry entry not found');
    await recordEvent(tx, ctx, { action: 'organizationRegistry.remove', organizationId: org.id, data: { key: input.key } });
  });
  ctx.loaders.registryEntriesByOrganizationId.clear(org.id);
}

// ---- descriptions ----

/** The organization's descriptions (whoever may read the organization). */
export async function descriptionsOf(ctx: Ctx, organizationId: string): Promise<OrganizationDescriptionRow[]> {
  if (!(await ctx.authz.can('organization:read', { organizationId }))) return [];
  return ctx.loaders.descriptionsByOrganizationId.load(organizationId);
}

/** The description in this language, or (withFallback) in English when there is none; null when neither exists. */
export async function descriptionOf(ctx: Ctx, organizationId: string, langKey: string, withFallback: boolean): Promise<OrganizationDescriptionRow | null> {
  const key = checkLangKey(langKey);
  const all = await descriptionsOf(ctx, organizationId);
  return all.find((d) => d.langKey === key) ?? (withFallback ? (all.find((d) => d.langKey === DEFAULT_LANGUAGE) ?? null) : null);
}

/** Writes the description of a language; `onlyExisting` (an update) refuses a language without one (NOT_FOUND). */
export async function setOrganizationDescription(ctx: Ctx, input: { organization: string; langKey: string; text: string; onlyExisting?: boolean | null }): Promise<OrganizationDescriptionRow> {
  const org = await organizationForChange(ctx, input.organization, 'its description');
  const langKey = checkLangKey(input.langKey);
  if (input.text.length > DESCRIPTION_TEXT_MAX) throw new DomainError('PAYLOAD_TOO_LARGE', `A description is at most ${DESCRIPTION_TEXT_MAX} characters`);
  if (!isPlainText(input.text)) throw validation('text', 'The text holds characters that cannot be stored');
  const existing = await ctx.loaders.descriptionsByOrganizationId.load(org.id);
  const exists = existing.some((d) => d.langKey === langKey);
  if (input.onlyExisting && !exists) throw notFound('No description in this language');
  const row = await ctx.db.transaction(async (tx) => {
    if (!exists && (await countDescriptions(tx, org.id)) >= DESCRIPTIONS_MAX) throw new DomainError('PRECONDITION_FAILED', `At most ${DESCRIPTIONS_MAX} languages`);
    const r = await upsertDescription(tx, org.id, langKey, input.text);
    await recordEvent(tx, ctx, { action: 'organizationDescription.set', organizationId: org.id, data: { langKey, overwritten: exists } });
    return r;
  });
  ctx.loaders.descriptionsByOrganizationId.clear(org.id);
  return row;
}

export async function removeOrganizationDescription(ctx: Ctx, input: { organization: string; langKey: string }): Promise<void> {
  const org = await organizationForChange(ctx, input.organization, 'its description');
  const langKey = checkLangKey(input.langKey);
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteDescription(tx, org.id, langKey))) throw notFound('No description in this language');
    await recordEvent(tx, ctx, { action: 'organizationDescription.remove', organizationId: org.id, data: { langKey } });
  });
  ctx.loaders.descriptionsByOrganizationId.clear(org.id);
}

// ---- logo and 2FA validity ----

/** The organization's logo as it was given, or null (whoever may read the organization). */
export async function logoOf(ctx: Ctx, organizationId: string): Promise<string | null> {
  if (!(await ctx.authz.can('organization:read', { organizationId }))) return null;
  return (await ctx.loaders.iyoSettingsByOrganizationId.load(organizationId))?.logo ?? null;
}

export async function setOrganizationLogo(ctx: Ctx, input: { organization: string; logo: string | null }): Promise<string | null> {
  const org = await organizationForChange(ctx, input.organization, 'its logo');
  if (input.logo !== null) {
    if (input.logo.length > LOGO_MAX) throw new DomainError('PAYLOAD_TOO_LARGE', `A logo is at most ${LOGO_MAX} characters`);
    if (!isPlainText(input.logo)) throw validation('logo', 'The logo holds characters that cannot be stored');
  }
  await ctx.db.transaction(async (tx) => {
    await upsertSettings(tx, org.id, { logo: input.logo });
    await recordEvent(tx, ctx, { action: input.logo === null ? 'organizationLogo.remove' : 'organizationLogo.set', organizationId: org.id, data: { characters: input.logo?.length ?? 0 } });
  });
  ctx.loaders.iyoSettingsByOrganizationId.clear(org.id);
  return input.logo;
}

/** Seconds a 2FA sign-in into the organization stays good (the default until set). */
export async function twoFactorValidityOf(ctx: Ctx, organizationId: string): Promise<number | null> {
  if (!(await ctx.authz.can('organization:read', { organizationId }))) return null;
  return (await ctx.loaders.iyoSettingsByOrganizationId.load(organizationId))?.twoFactorValiditySeconds ?? TWO_FACTOR_VALIDITY_DEFAULT;
}

/** Sets the 2FA validity, clamped to 0 … TWO_FACTOR_VALIDITY_MAX as the original service did; answers the stored value. */
export async function setOrganizationTwoFactorValidity(ctx: Ctx, input: { organization: string; seconds: number }): Promise<number> {
  const org = await organizationForChange(ctx, input.organization, 'its 2FA validity');
  if (!Number.isSafeInteger(input.seconds)) throw validation('seconds', 'Seconds are a whole number');
  const seconds = Math.min(Math.max(input.seconds, 0), TWO_FACTOR_VALIDITY_MAX);
  await ctx.db.transaction(async (tx) => {
    await upsertSettings(tx, org.id, { twoFactorValiditySeconds: seconds });
    await recordEvent(tx, ctx, { action: 'organizationTwoFactorValidity.set', organizationId: org.id, data: { seconds, asked: input.seconds } });
  });
  ctx.loaders.iyoSettingsByOrganizationId.clear(org.id);
  return seconds;
}

