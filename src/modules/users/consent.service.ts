// Rules for a user's consent to act as an analyst: the user gives or withdraws it (instance
// admins for anyone); the change commits with its event-log row. Analysts (consent given) are
// listed publicly; the others only to instance admins (listVisibleUsers' filter).
import type { ServiceContext } from '../../context.js';
import { recordEvent } from '../logs/event-log.service.js';
import { updateUser, type UserRow } from './user.repo.js';
import { forgetUser, requireSignedIn, requireUser } from './user.writes.js';

type Ctx = ServiceContext;

/** Records whether the user consents to be an analyst (themselves; instance admins for anyone). */
export async function setAnalystConsent(ctx: Ctx, userId: string | null | undefined, consent: boolean | null | undefined): Promise<UserRow> {
  const me = requireSignedIn(ctx);
  const target = await requireUser(ctx, userId ?? me);
  await ctx.authz.assert('user:update', { userId: target.id }, { message: 'You may give or withdraw only your own consent' });
  if (consent == null || target.analystConsent === consent) return target;
  const updated = await ctx.db.transaction(async (tx) => {
    const row = await updateUser(tx, target.id, { analystConsent: consent });
    await recordEvent(tx, ctx, { action: consent ? 'user.consent' : 'user.withdrawConsent', user2Id: target.id, data: { analyst: consent } });
    return row!;
  });
  forgetUser(ctx, target.id);
  ctx.loaders.userById.prime(updated.id, updated);
  return updated;
}
