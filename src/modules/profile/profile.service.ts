// The rule of a user's labelled collections (Itsyouonline's emails, phones, public keys,
// addresses, bank accounts, digital wallet): a label matches LABEL_PATTERN_SOURCE and names one
// entry per user and collection (a used label is a CONFLICT, an unknown one NOT_FOUND); only the
// user and instance admins read or change them (another user: FORBIDDEN, nothing changes).
// Emails and phones are the user's contacts and public keys the labelled keys: their own rules
// (validation codes, fingerprints) stay in contact.service.ts and key.service.ts, which this
// service calls; addresses, bank accounts and wallet addresses are profile entries, kept here.
// Each change commits with its event-log row in one transaction.
import { transactionContext, type ServiceContext } from '../../context.js';
import type { Database } from '../../core/db.js';
import { conflict, notFound, validation } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isIyoUsername, isLabel, isPlainText } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import { addContact, contactByLabel, removeContact, resendValidationCode, updateContactLabelled } from '../users/contact.service.js';
import { addPublicKey, publicKeysOf, removePublicKey, updateLabelledPublicKey } from '../users/key.service.js';
import { requireTotpBesidesPhone } from '../users/totp.service.js';
import type { ContactRow, UserRow } from '../users/user.repo.js';
import { createUser, userByUsername } from '../users/user.service.js';
import { forgetUser, requireSignedIn } from '../users/user.writes.js';
import { deleteProfileEntry, insertProfileEntry, updateProfileEntry, type ProfileEntryKind, type ProfileEntryRow } from './profile.repo.js';
import { LabelledKind } from './profile.type.js';
import type { LabelledValueInput } from './profile.inputs.js';

type Ctx = ServiceContext;

/** Entries of one profile collection a user may hold: lists stay short enough to answer whole. */
export const MAX_ENTRIES_PER_KIND = 100;

// ---- shapes of the profile entries (field → max length; `?` optional), as documented ----

const SHAPES: Record<ProfileEntryKind, Record<string, { from: string; max: number; optional?: true }>> = {
  address: {
    street: { from: 'street', max: 50 },
    nr: { from: 'nr', max: 10 },
    city: { from: 'city', max: 30 },
    postalcode: { from: 'postalCode', max: 20 },
    country: { from: 'country', max: 40 },
    other: { from: 'other', max: 30, optional: true },
  },
  bank_account: { iban: { from: 'iban', max: 30 }, bic: { from: 'bic', max: 11 }, country: { from: 'country', max: 40 } },
  digital_wallet: { address: { from: 'address', max: 255 }, currencysymbol: { from: 'currencySymbol', max: 16 } },
};

const PROFILE_KINDS: Partial<Record<LabelledKind, { kind: ProfileEntryKind; input: keyof LabelledValueInput }>> = {
  [LabelledKind.ADDRESS]: { kind: 'address', input: 'address' },
  [LabelledKind.BANK_ACCOUNT]: { kind: 'bank_account', input: 'bankAccount' },
  [LabelledKind.DIGITAL_WALLET]: { kind: 'digital_wallet', input: 'digitalWallet' },
};
const CONTACT_TYPES: Partial<Record<LabelledKind, 'email' | 'phone'>> = { [LabelledKind.EMAIL]: 'email', [LabelledKind.PHONE]: 'phone' };
const SCALAR_VALUE: Partial<Record<LabelledKind, 'emailAddress' | 'phoneNumber' | 'publicKey'>> = {
  [LabelledKind.EMAIL]: 'emailAddress',
  [LabelledKind.PHONE]: 'phoneNumber',
  [LabelledKind.PUBLIC_KEY]: 'publicKey',
};

export function checkLabel(label: string, field = 'label'): string {
  if (!isLabel(label)) throw validation(field, 'A label is 2 to 50 letters, digits, "-", "_" or spaces');
  return label;
}

/** The stored data of a profile entry from its input, every field checked (length, storable text). */
function entryData(kind: ProfileEntryKind, value: Record<string, unknown> | null | undefined, field: string): Record<string, string | boolean | null> {
  if (!value) throw validation(field, `A ${kind.replace('_', ' ')} is required`);
  const data: Record<string, string | boolean | null> = {};
  for (const [key, rule] of Object.entries(SHAPES[kind])) {
    const v = value[rule.from];
    if (v == null || v === '') {
      if (!rule.optional) throw validation(`${field}.${rule.from}`, `${rule.from} is required`);
      data[key] = null;
      continue;
    }
    if (typeof v !== 'string' || v.length > rule.max || !isPlainText(v)) throw validation(`${field}.${rule.from}`, `${rule.from} must be text of at most ${rule.max} characters`);
    data[key] = v;
  }
  if (kind === 'digital_wallet') {
    const never = value.noExpiration === true;
    const expire = value.expire;
    if (!never && !(expire instanceof Date && !Number.isNaN(expire.getTime()))) throw validation(`${field}.expire`, 'expire is required unless noExpiration is set');
    data.noexpiration = never;
    data.expire = never ? null : (expire as Date).toISOString();
  }
  return data;
}

// ---- reading ----

/** The user a labelled request names, once the caller may manage their collections; NOT_FOUND when there is none. */
async function ownerByUsername(ctx: Ctx, username: string): Promise<UserRow> {
  requireSignedIn(ctx);
  const user = await userByUsername(ctx, username);
  if (!user) throw notFound('User not found');
  await ctx.authz.assert('user:manageContacts', { userId: user.id }, { message: 'You may change only your own profile' });
  return user;
}

/** A user's entries of one profile collection: the user and instance admins see them, others none. */
export async function profileEntriesOf(ctx: Ctx, userId: string, kind: ProfileEntryKind): Promise<ProfileEntryRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return (await ctx.loaders.profileEntriesByUserId.load(userId)).filter((e) => e.kind === kind);
}

async function profileEntryByLabel(ctx: Ctx, userId: string, kind: ProfileEntryKind, label: string): Promise<ProfileEntryRow | null> {
  return (await ctx.loaders.profileEntriesByUserId.load(userId)).find((e) => e.kind === kind && e.label === label) ?? null;
}

async function labelledKeyByLabel(ctx: Ctx, userId: string, label: string) {
  return (await publicKeysOf(ctx, userId)).find((k) => k.kind === 'labelled' && k.label === label) ?? null;
}

/** The contact, key or entry a label names in a collection, or NOT_FOUND. */
async function requireByLabel(ctx: Ctx, userId: string, kind: LabelledKind, label: string): Promise<{ id: string; contact?: ContactRow }> {
  const missing = () => notFound(`No ${kind.replace('_', ' ')} labelled "${label.slice(0, 50)}"`);
  const type = CONTACT_TYPES[kind];
  if (type !== undefined) {
    const contact = await contactByLabel(ctx, userId, type, label);
    if (!contact) throw missing();
    return { id: contact.id, contact };
  }
  const found = kind === LabelledKind.PUBLIC_KEY ? await labelledKeyByLabel(ctx, userId, label) : await profileEntryByLabel(ctx, userId, PROFILE_KINDS[kind]!.kind, label);
  if (!found) throw missing();
  return { id: found.id };
}

function scalarValue(kind: LabelledKind, value: LabelledValueInput | null | undefined, required: boolean): string | null {
  const key = SCALAR_VALUE[kind]!;
  const v = value?.[key];
  if (v == null) {
    if (required) throw validation(`value.${key}`, `${key} is required`);
    return null;
  }
  if (!isPlainText(v)) throw validation(`value.${key}`, `${key} holds characters that cannot be stored`);
  return v;
}

// ---- writes ----

export interface LabelledRef {
  username: string;
  kind: LabelledKind;
  label: string;
}

/** Adds an entry under a new label. Emails and phones get a validation code (outbox). */
export async function addLabelledEntry(ctx: Ctx, input: LabelledRef & { value: LabelledValueInput }): Promise<UserRow> {
  const user = await ownerByUsername(ctx, input.username);
  const label = checkLabel(input.label);
  const type = CONTACT_TYPES[input.kind];
  if (type !== undefined) {
    await addContact(ctx, { userId: user.id, type, value: scalarValue(input.kind, input.value, true)!, label });
  } else if (input.kind === LabelledKind.PUBLIC_KEY) {
    if (await labelledKeyByLabel(ctx, user.id, label)) throw conflict('label', 'Label is already used');
    await addPublicKey(ctx, { userId: user.id, kind: 'labelled', label, key: scalarValue(input.kind, input.value, true)! });
  } else {
    const { kind, input: from } = PROFILE_KINDS[input.kind]!;
    const data = entryData(kind, input.value[from] as unknown as Record<string, unknown>, `value.${from}`);
    const current = (await ctx.loaders.profileEntriesByUserId.load(user.id)).filter((e) => e.kind === kind);
    if (current.some((e) => e.label === label)) throw conflict('label', 'Label is already used');
    if (current.length >= MAX_ENTRIES_PER_KIND) throw validation('label', `At most ${MAX_ENTRIES_PER_KIND} entries of a kind`);
    await withProfileUniqueness(() =>
      ctx.db.transaction(async (tx) => {
        const row = await insertProfileEntry(tx, { userId: user.id, kind, label, data });
        await recordEvent(tx, ctx, { action: 'profileEntry.add', user2Id: user.id, data: { entryId: row.id, kind, label } });
      }),
    );
    ctx.loaders.profileEntriesByUserId.clear(user.id);
  }
  forgetUser(ctx, user.id);
  return (await ctx.loaders.userById.load(user.id))!;
}

/** Renames an entry and/or replaces its value; a label in use by another entry is a CONFLICT. */
export async function updateLabelledEntry(ctx: Ctx, input: LabelledRef & { newLabel?: string | null; value?: LabelledValueInput | null }): Promise<{ user: UserRow; label: string }> {
  const user = await ownerByUsername(ctx, input.username);
  const label = input.newLabel == null ? input.label : checkLabel(input.newLabel, 'newLabel');
  const { id } = await requireByLabel(ctx, user.id, input.kind, input.label);
  const type = CONTACT_TYPES[input.kind];
  if (type !== undefined) {
    await updateContactLabelled(ctx, id, type, { label, value: scalarValue(input.kind, input.value, false) });
  } else if (input.kind === LabelledKind.PUBLIC_KEY) {
    if (label !== input.label && (await labelledKeyByLabel(ctx, user.id, label))) throw conflict('label', 'Label is already used');
    await updateLabelledPublicKey(ctx, id, { label, key: scalarValue(input.kind, input.value, false) });
  } else {
    const { kind, input: from } = PROFILE_KINDS[input.kind]!;
    const given = input.value?.[from] as unknown as Record<string, unknown> | null | undefined;
    const data = given != null ? entryData(kind, given, `value.${from}`) : undefined;
    if (label !== input.label && (await profileEntryByLabel(ctx, user.id, kind, label))) throw conflict('label', 'Label is already used');
    await withProfileUniqueness(() =>
      ctx.db.transaction(async (tx) => {
        await updateProfileEntry(tx, user.id, id, { label, ...(data ? { data } : {}) });
        await recordEvent(tx, ctx, { action: 'profileEntry.update', user2Id: user.id, data: { entryId: id, kind, label, previousLabel: input.label, valueChanged: data !== undefined } });
      }),
    );
    ctx.loaders.profileEntriesByUserId.clear(user.id);
  }
  forgetUser(ctx, user.id);
  return { user: (await ctx.loaders.userById.load(user.id))!, label };
}

/**
 * Removes an entry. Emails: the last one stays (CONFLICT); phones: the last validated one stays
 * (CONFLICT) unless `force` is set and the user has TOTP enabled (Itsyouonline: "remove this
 * phone number even if its the last verified one, but only if totp has been set up"), checked in
 * the removing transaction under the user's lock.
 */
export async function removeLabelledEntry(ctx: Ctx, input: LabelledRef & { force?: boolean | null }): Promise<UserRow> {
  const user = await ownerByUsername(ctx, input.username);
  const { id } = await requireByLabel(ctx, user.id, input.kind, input.label);
  const type = CONTACT_TYPES[input.kind];
  if (type !== undefined) {
    const forceWithTotp = type === 'phone' && input.force ? (tx: Database, phone: ContactRow) => requireTotpBesidesPhone(tx, user.id, phone.id) : undefined;
    await removeContact(ctx, id, type, type === 'email' ? 'any' : 'validated', forceWithTotp);
  } else if (input.kind === LabelledKind.PUBLIC_KEY) {
    await removePublicKey(ctx, id);
  } else {
    const kind = PROFILE_KINDS[input.kind]!.kind;
    await ctx.db.transaction(async (tx) => {
      await deleteProfileEntry(tx, user.id, id);
      await recordEvent(tx, ctx, { action: 'profileEntry.remove', user2Id: user.id, data: { entryId: id, kind, label: input.label } });
    });
    ctx.loaders.profileEntriesByUserId.clear(user.id);
  }
  forgetUser(ctx, user.id);
  return (await ctx.loaders.userById.load(user.id))!;
}

/** Sends an email address or phone number (by label) a fresh validation code; answers the contact. */
export async function sendLabelledValidation(ctx: Ctx, input: LabelledRef): Promise<ContactRow> {
  const type = CONTACT_TYPES[input.kind];
  if (type === undefined) throw validation('kind', 'Only email addresses and phone numbers are validated');
  const user = await ownerByUsername(ctx, input.username);
  const { id } = await requireByLabel(ctx, user.id, input.kind, input.label);
  return resendValidationCode(ctx, id, type);
}

/** A label taken by a concurrent write (the index, not the check above it) is the same CONFLICT. */
async function withProfileUniqueness<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err, 'profile_entries_user_kind_label_key')) throw conflict('label', 'Label is already used');
    throw err;
  }
}

// ---- a new user with their collections (Itsyouonline's POST /users) ----

export interface NewUserWithEntries {
  username: string;
  firstName?: string | null;
  lastName?: string | null;
  entries: { kind: LabelledKind; label: string; value: LabelledValueInput }[];
}

/**
 * Creates a user (instance admins) with their labelled entries. Every label is checked first (a
 * label twice in one collection is a CONFLICT), so the usual failures leave nothing behind; an
 * entry refused after the user exists (an email address another account holds) removes the
 * user again, so the request creates all of it or none. Each step commits with its event-log
 * row; emails and phones get their validation codes.
 */
export async function createUserWithEntries(ctx: Ctx, input: NewUserWithEntries): Promise<UserRow> {
  requireSignedIn(ctx);
  await ctx.authz.assert('user:create', {}, { message: 'Only instance admins create users' });
  if (!isIyoUsername(input.username)) throw validation('username', 'A username is 2 to 30 lower-case letters and digits');
  if (input.entries.length > MAX_ENTRIES_PER_KIND) throw validation('entries', `At most ${MAX_ENTRIES_PER_KIND} entries`);
  const seen = new Set<string>();
  for (const e of input.entries) {
    checkLabel(e.label);
    const key = `${e.kind}:${e.label}`;
    if (seen.has(key)) throw conflict('label', `Label "${e.label}" is used twice`);
    seen.add(key);
  }
  // One transaction for the user and every entry, their event-log rows and validation messages:
  // the services run on it (their own transactions become savepoints), with loaders and
  // authorization that read through it, so a refused entry leaves nothing behind.
  const userId = await ctx.db.transaction(async (tx) => {
    const txCtx = transactionContext(ctx, tx);
    const user = await createUser(txCtx, { username: input.username, firstName: input.firstName, lastName: input.lastName });
    for (const e of input.entries) await addLabelledEntry(txCtx, { username: user.username, kind: e.kind, label: e.label, value: e.value });
    return user.id;
  });
  forgetUser(ctx, userId);
  return (await ctx.loaders.userById.load(userId))!;
}
