// Who may read the login log: instance admins everything, a user only their own attempts
// (attempts for unknown usernames have no user and are visible to instance admins only), and
// the administrators of a team (an organization) its members' attempts, when their credential is
// bound to that team (the Seald dashboard's loginlogs/).
import type { ServiceContext } from '../../context.js';
import { emptyConnection, pageRequest, toConnection, type Connection, type ConnectionArgs } from '../../core/graphql/connection.js';
import { tokenOrganizationOf } from '../../core/auth/tenant.js';
import { offsetPage } from '../../core/offset.js';
import { findEffectiveRoles } from '../organizations/organization.repo.js';
import { countLoginLogs, listLoginLogs, type LoginLogFilter, type LoginLogRow } from './login-log.repo.js';

type Ctx = ServiceContext;

const empty = (args: ConnectionArgs): Connection<LoginLogRow> => emptyConnection(pageRequest(args));

export function canReadLoginLog(ctx: Ctx, row: LoginLogRow): Promise<boolean> {
  // A row without a user is nobody's own: `loginLog:read` then holds for instance admins only.
  return row.userId ? canReadLoginLogsOf(ctx, row.userId) : Promise.resolve(ctx.authz.isInstanceAdmin);
}

/** The user's own log, an instance admin, or an admin of the team the caller's credential is bound to that the user belongs to. */
async function canReadLoginLogsOf(ctx: Ctx, userId: string): Promise<boolean> {
  if (await ctx.authz.can('loginLog:read', { userId })) return true;
  const team = tokenOrganizationOf(ctx.principal);
  if (!team || !(await ctx.authz.can('membership:manage', { organizationId: team }))) return false;
  return (await findEffectiveRoles(ctx.db, userId, [team])).has(team);
}

export async function readableLoginLog(ctx: Ctx, id: string): Promise<LoginLogRow | null> {
  const row = await ctx.loaders.loginLogById.load(id);
  return row && (await canReadLoginLog(ctx, row)) ? row : null;
}

/** The login log, newest first. Without a user filter, non-admins get their own attempts. */
export async function listVisibleLoginLogs(ctx: Ctx, args: ConnectionArgs, filter: { userId?: string | null; success?: boolean | null }, offset?: number | null): Promise<Connection<LoginLogRow>> {
  const page = offsetPage(pageRequest(args), offset);
  const skip = page.skipped;
  const me = ctx.authz.userId;
  if (!me) return empty(args);
  const userId = filter.userId ?? (ctx.authz.isInstanceAdmin ? undefined : me);
  // Someone else's log reads as empty, like a user without attempts.
  if (userId !== undefined && !(await canReadLoginLogsOf(ctx, userId))) return empty(args);
  const f: LoginLogFilter = { userId, success: filter.success };
  const rows = await listLoginLogs(ctx.db, f, page, skip);
  for (const r of rows) ctx.loaders.loginLogById.prime(r.id, r);
  return toConnection(rows, page, (r) => [r.id], (r) => r, () => countLoginLogs(ctx.db, f));
}

/** One user's login log (batched across users); empty unless you are that user or an instance admin. */
export async function loginLogsOfUser(ctx: Ctx, userId: string, args: ConnectionArgs): Promise<Connection<LoginLogRow>> {
  const page = pageRequest(args);
  if (!(await ctx.authz.can('loginLog:read', { userId }))) return empty(args);
  const rows = await ctx.loaders.loginLogPageByUserId(page).load(userId);
  return toConnection(rows, page, (r) => [r.id], (r) => r, () => ctx.loaders.loginLogCountByUserId.load(userId));
}
