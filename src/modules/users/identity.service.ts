// Rules for a user's linked external accounts (identities: provider and external uid): who sees
// them (the user and instance admins) and what a link to add looks like. Links are written by
// the account services (createUser, updateUser: instance admins only); the user (or an instance
// admin) unlinks one, with its event-log row in the same transaction.
import type { ServiceContext } from '../../context.js';
import { validation } from '../../core/errors.js';
import { recordEvent } from '../logs/event-log.service.js';
import { deleteIdentity, type IdentityRow, type UserRow } from './user.repo.js';
import { forgetUser, requireSignedIn, requireUser } from './user.writes.js';

type Ctx = ServiceContext;

export async function identitiesOf(ctx: Ctx, userId: string): Promise<IdentityRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return ctx.loaders.identitiesByUserId.load(userId);
}

export interface IdentityInput {
  provider: string;
  externalUid: string;
}

/** The link to store: both parts trimmed, 1 to 255 characters. */
export function checkIdentity(i: IdentityInput): IdentityInput {
  const provider = i.provider.trim();
  const externalUid = i.externalUid.trim();
  if (provider.length < 1 || provider.length > 255) throw validation('provider', 'Provider must be 1 to 255 characters');
  if (externalUid.length < 1 || externalUid.length > 255) throw validation('externalUid', 'External uid must be 1 to 255 characters');
  return { provider, externalUid };
}

/** Unlinks the user's account at a provider (the user, or instance admins). Idempotent: no link, no change (and no event). */
export async function unlinkIdentity(ctx: Ctx, userId: string, provider: string): Promise<UserRow> {
  requireSignedIn(ctx);
  const user = await requireUser(ctx, userId);
  await ctx.authz.assert('user:update', { userId: user.id }, { message: 'You may unlink only your own accounts' });
  await ctx.db.transaction(async (tx) => {
    if (await deleteIdentity(tx, user.id, provider)) await recordEvent(tx, ctx, { action: 'identity.unlink', user2Id: user.id, data: { provider } });
  });
  forgetUser(ctx, user.id);
  return user;
}
