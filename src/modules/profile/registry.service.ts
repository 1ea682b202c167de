// The rule of a user's registry: free-form key → value pairs the user (or an instance admin)
// writes and reads; others see none. A key is 1 to 256 characters, a value at most
// REGISTRY_VALUE_MAX (larger: PAYLOAD_TOO_LARGE, 413), at most REGISTRY_MAX_ENTRIES keys per user.
// Writing a key again overwrites it. Each change commits with its event-log row.
import type { ServiceContext } from '../../context.js';
import { DomainError, notFound, validation } from '../../core/errors.js';
import { isPlainText } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import type { UserRow } from '../users/user.repo.js';
import { userByUsername } from '../users/user.service.js';
import { requireSignedIn } from '../users/user.writes.js';
import { countRegistryEntries, deleteRegistryEntry, upsertRegistryEntry, type RegistryEntryRow } from './registry.repo.js';

type Ctx = ServiceContext;

export const REGISTRY_KEY_MAX = 256;
/** The document's bound on a value. */
export const REGISTRY_VALUE_MAX = 1024;
export const REGISTRY_MAX_ENTRIES = 100;

async function registryOwner(ctx: Ctx, username: string): Promise<UserRow> {
  requireSignedIn(ctx);
  const user = await userByUsername(ctx, username);
  if (!user) throw notFound('User not found');
  await ctx.authz.assert('user:update', { userId: user.id }, { message: 'You may change only your own registry' });
  return user;
}

export async function registryOf(ctx: Ctx, userId: string): Promise<RegistryEntryRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return ctx.loaders.registryEntriesByUserId.load(userId);
}

/** The rule of a registry entry, for users' and organizations' registries alike. */
export function checkRegistryEntry(key: string, value: string): void {
  if (key.length < 1 || key.length > REGISTRY_KEY_MAX || !isPlainText(key)) throw validation('key', `A key is 1 to ${REGISTRY_KEY_MAX} characters`);
  if (value.length > REGISTRY_VALUE_MAX) throw new DomainError('PAYLOAD_TOO_LARGE', `A value is at most ${REGISTRY_VALUE_MAX} characters`);
  if (!isPlainText(value)) throw validation('value', 'The value holds characters that cannot be stored');
}

export async function setRegistryEntry(ctx: Ctx, input: { username: string; key: string; value: string }): Promise<RegistryEntryRow> {
  const user = await registryOwner(ctx, input.username);
  checkRegistryEntry(input.key, input.value);
  const exists = (await ctx.loaders.registryEntriesByUserId.load(user.id)).some((e) => e.key === input.key);
  const row = await ctx.db.transaction(async (tx) => {
    if (!exists && (await countRegistryEntries(tx, user.id)) >= REGISTRY_MAX_ENTRIES) throw validation('key', `At most ${REGISTRY_MAX_ENTRIES} registry entries`);
    const r = await upsertRegistryEntry(tx, user.id, input.key, input.value);
    await recordEvent(tx, ctx, { action: 'registry.set', user2Id: user.id, data: { key: input.key, overwritten: exists } });
    return r;
  });
  ctx.loaders.registryEntriesByUserId.clear(user.id);
  return row;
}

export async function removeRegistryEntry(ctx: Ctx, input: { username: string; key: string }): Promise<void> {
  const user = await registryOwner(ctx, input.username);
  await ctx.db.transaction(async (tx) => {
    if (!(await deleteRegistryEntry(tx, user.id, input.key))) throw notFound('Registry entry not found');
    await recordEvent(tx, ctx, { action: 'registry.remove', user2Id: user.id, data: { key: input.key } });
  });
  ctx.loaders.registryEntriesByUserId.clear(user.id);
}
