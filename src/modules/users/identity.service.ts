// Rules for a user's linked external accounts (identities: provider and external uid): who sees
// them (the user and instance admins) and what a link to add looks like. Links are written by
// the account services (createUser, updateUser: instance admins only).
import type { ServiceContext } from '../../context.js';
import { validation } from '../../core/errors.js';
import type { IdentityRow } from './user.repo.js';

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
