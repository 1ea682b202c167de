// Rules for reading users.
import type { Context } from '../../context.js';
import type { UserRow } from './user.repo.js';

/** The calling user's row; null when anonymous. */
export async function viewer(ctx: Pick<Context, 'principal' | 'loaders'>): Promise<UserRow | null> {
  if (ctx.principal.kind !== 'user') return null;
  return ctx.loaders.userById.load(ctx.principal.userId);
}

/** A user by uuid: users are visible to every signed-in caller (as on GitLab), not to anonymous ones. */
export async function userById(ctx: Pick<Context, 'principal' | 'loaders'>, id: string): Promise<UserRow | null> {
  if (ctx.principal.kind !== 'user') return null;
  return ctx.loaders.userById.load(id);
}
