// What Itsyouonline organizations own beyond their members (part 2 of the dialect): API keys
// (a credential of the organization itself, stored hashed), a registry, descriptions per
// language, a logo and the 2FA validity. Contracts with organizations among their parties are
// the `contracts` rows (schema/iyo.ts, `party_organization_ids`). Everything goes with its
// organization (ON DELETE CASCADE).
import { boolean, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './common.js';
import { organizations } from './organizations.js';

/** An organization's API key: the secret is shown once at creation; only its sha256 is kept. */
export const organizationApiKeys = pgTable(
  'organization_api_keys',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    keyHash: text('key_hash').notNull(),
    callbackUrl: text('callback_url'),
    // Whether the key may act as the organization (Itsyouonline's client-credentials flow): a key
    // without it is refused as a credential (org-apikey.service.ts).
    clientCredentialsGrantType: boolean('client_credentials_grant_type').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('organization_api_keys_org_label_key').on(t.organizationId, t.label), uniqueIndex('organization_api_keys_key_hash_key').on(t.keyHash)],
);

/** An organization's registry: one value per key (writing a key again overwrites it). */
export const organizationRegistryEntries = pgTable(
  'organization_registry_entries',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: text('value').notNull(),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('organization_registry_entries_org_key_key').on(t.organizationId, t.key)],
);

/** An organization's description in one language (one text per language key). */
export const organizationDescriptions = pgTable(
  'organization_descriptions',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    langKey: text('lang_key').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at'),
  },
  (t) => [uniqueIndex('organization_descriptions_org_lang_key').on(t.organizationId, t.langKey)],
);

/**
 * An organization's Itsyouonline settings: the logo (kept exactly as given: Itsyouonline's
 * clients send a data URL) and the 2FA validity in seconds (null: the default). One row per
 * organization, made on the first change.
 */
export const organizationIyoSettings = pgTable(
  'organization_iyo_settings',
  {
    organizationId: uuid('organization_id')
      .primaryKey()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    logo: text('logo'),
    twoFactorValiditySeconds: integer('two_factor_validity_seconds'),
    updatedAt: tstz('updated_at'),
  },
);
