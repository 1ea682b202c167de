// Domain validation keys and connectors (a team member's prevalidated email / app identities,
// the graph's contacts) as the Seald dashboard manages them.
//
// Invariants: only the team's admins act (teamOf); a connector is created, made primary or
// deleted only for a member of the team; an email connector is prevalidated only on a domain the
// team holds a validation key for (the key given must be the team's and its domain must be the
// address's); one active email contact per address system-wide — `force` takes the address
// from the account that holds it (its contact is disabled, in the same transaction), without
// `force` that is a conflict. Every change commits with its event-log row.
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../context.js';
import { conflict, DomainError, notFound, validation } from '../../core/errors.js';
import { isEmail } from '../../core/validation.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { recordEvent } from '../logs/event-log.service.js';
import { clearPrimaryContact, findContactById, findContactsByUserIds, insertContact, updateContact, deleteContact, type ContactRow } from '../users/user.repo.js';
import { countDomainKeys, findActiveEmailContact, findDomainKey, insertDomainKey, listDomainKeys, updateDomainKey, type DomainKeyRow } from './dashboard.repo.js';
import { requireTeamUser, teamOf } from './dashboard.service.js';

type Ctx = ServiceContext;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const newDomainKey = () => randomBytes(24).toString('base64url');

export async function teamDomainKeys(ctx: Ctx, team: string, limit: number, offset: number): Promise<{ rows: DomainKeyRow[]; count: () => Promise<number> }> {
  if (!(await ctx.authz.can('membership:manage', { organizationId: team }))) return { rows: [], count: async () => 0 };
  return { rows: await listDomainKeys(ctx.db, team, limit, offset), count: () => countDomainKeys(ctx.db, team) };
}

/** A validation key for a domain of the caller's team (one per domain). */
export async function createDomainKey(ctx: Ctx, domain: string): Promise<DomainKeyRow> {
  const team = await teamOf(ctx);
  const d = domain.trim().toLowerCase();
  if (!DOMAIN.test(d)) throw validation('domain', 'Enter a valid domain name');
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await insertDomainKey(tx, { organizationId: team, domain: d, key: newDomainKey() });
      await recordEvent(tx, ctx, { action: 'domainValidationKey.create', organizationId: team, data: { domainValidationKeyId: row.id, domain: d } });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('domain', 'The team already has a key for this domain');
    throw err;
  }
}

/** A new value for one of the team's keys (same id and domain). */
export async function refreshDomainKey(ctx: Ctx, id: string): Promise<DomainKeyRow> {
  const team = await teamOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await updateDomainKey(tx, team, id, newDomainKey(), new Date());
    if (!row) throw notFound('Domain validation key not found');
    await recordEvent(tx, ctx, { action: 'domainValidationKey.refresh', organizationId: team, data: { domainValidationKeyId: id } });
    return row;
  });
}

/** A team member's connectors (their contacts), oldest first. */
export async function teamConnectors(ctx: Ctx, userId: string): Promise<ContactRow[]> {
  const team = await teamOf(ctx);
  await requireTeamUser(ctx, team, userId);
  return findContactsByUserIds(ctx.db, [userId]);
}

export interface CreateConnectorInput {
  type: 'email' | 'app';
  value: string;
  userId: string;
  domainValidationKeyId: string;
  force: boolean;
}

export async function createConnector(ctx: Ctx, input: CreateConnectorInput): Promise<ContactRow> {
  const team = await teamOf(ctx);
  await requireTeamUser(ctx, team, input.userId);
  const key = await findDomainKey(ctx.db, team, input.domainValidationKeyId);
  if (!key) throw validation('domainValidationKeyId', 'Unknown domain validation key');
  const value = input.value.trim();
  if (value.length === 0 || value.length > 254) throw validation('value', 'Ensure this field has 1 to 254 characters');
  if (input.type === 'email') {
    if (!isEmail(value)) throw validation('value', 'Enter a valid email address');
    if (value.slice(value.lastIndexOf('@') + 1).toLowerCase() !== key.domain) throw validation('value', `The address is not on the key's domain ${key.domain}`);
  }
  const holder = input.type === 'email' ? await findActiveEmailContact(ctx.db, value) : undefined;
  if (holder && holder.userId === input.userId) throw conflict('value', 'The user already has this connector');
  if (holder && !input.force) throw conflict('value', 'This connector belongs to another account; send force to take it');
  return ctx.db.transaction(async (tx) => {
    if (holder) {
      await updateContact(tx, holder.id, { state: 'disabled', isPrimary: false });
      await recordEvent(tx, ctx, { action: 'contact.disable', user2Id: holder.userId, email: holder.value, organizationId: team, data: { contactId: holder.id, reason: 'forced' } });
    }
    const row = await insertContact(tx, { userId: input.userId, type: input.type, value, validatedAt: new Date() });
    await recordEvent(tx, ctx, { action: 'connector.create', user2Id: input.userId, email: input.type === 'email' ? value : null, organizationId: team, data: { contactId: row.id, type: input.type, forced: !!holder } });
    return row;
  });
}

async function teamContact(ctx: Ctx, team: string, id: string): Promise<ContactRow> {
  const row = await findContactById(ctx.db, id);
  if (!row) throw notFound('Connector not found');
  await requireTeamUser(ctx, team, row.userId).catch(() => {
    throw notFound('Connector not found');
  });
  return row;
}

export async function setPrimaryConnector(ctx: Ctx, id: string): Promise<ContactRow> {
  const team = await teamOf(ctx);
  const c = await teamContact(ctx, team, id);
  if (c.state !== 'active' || !c.validatedAt) throw new DomainError('PRECONDITION_FAILED', 'Only an active, validated connector can become primary', 'id');
  if (c.isPrimary) return c;
  return ctx.db.transaction(async (tx) => {
    await clearPrimaryContact(tx, c.userId, c.type);
    const row = await updateContact(tx, c.id, { isPrimary: true });
    await recordEvent(tx, ctx, { action: 'contact.setPrimary', user2Id: c.userId, email: c.type === 'email' ? c.value : null, organizationId: team, data: { contactId: c.id, type: c.type } });
    return row!;
  });
}

export async function deleteConnector(ctx: Ctx, id: string): Promise<ContactRow> {
  const team = await teamOf(ctx);
  const c = await teamContact(ctx, team, id);
  await ctx.db.transaction(async (tx) => {
    await deleteContact(tx, c.id);
    await recordEvent(tx, ctx, { action: 'connector.delete', user2Id: c.userId, email: c.type === 'email' ? c.value : null, organizationId: team, data: { contactId: c.id, type: c.type } });
  });
  return c;
}
