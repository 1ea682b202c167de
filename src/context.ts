// The per-request context: who is calling (one Principal for every credential style), the
// per-request authorization cache, fresh DataLoaders, the database handle and the request's
// identity for logs and audit rows.
import type { Config } from './config.js';
import type { AccessTokens } from './core/auth/jwt.js';
import { Authz } from './core/auth/policy.js';
import type { BudgetState, RateLimits } from './core/rate-limit/index.js';
import type { EventLogStream } from './modules/logs/event-log.live.js';
import { ANONYMOUS, type Principal } from './core/auth/principal.js';
import type { Database } from './core/db.js';
import { unauthenticated } from './core/errors.js';
import { authenticate } from './modules/auth/auth.service.js';
import { findWithinSubtree } from './core/auth/tenant.sql.js';
import { findEffectiveRoles } from './modules/organizations/organization.repo.js';
import { createLoaders, type Loaders } from './loaders.js';
import { shareServerSettings } from './core/auth/server-secrets.js';

/** Long-lived parts shared by every request of one process. */
export interface AppDeps {
  db: Database;
  config: Config;
  accessTokens: AccessTokens;
  /** Request budgets and the sign-in throttle, shared with the other processes (core/rate-limit). */
  rateLimits: RateLimits;
  /** The live event log, subscriptions' source (modules/logs/event-log.live.ts); absent in tools that serve none (the seed). */
  liveEvents?: EventLogStream;
}

export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface Context extends RequestMeta {
  db: Database;
  deps: AppDeps;
  principal: Principal;
  authz: Authz;
  loaders: Loaders;
  /** This request's charge against its caller's budget, once charged (the `rateLimit` field reads it). */
  budget?: BudgetState;
  /** Set for operations on a WebSocket (subscriptions): ends the whole connection. */
  live?: { disconnect(code: number, reason: string): void };
}

/** What services need of a request: who calls, its authorization and loaders, the database. */
export type ServiceContext = Pick<Context, 'db' | 'principal' | 'authz' | 'loaders' | 'ip'>;

/** The token of an `Authorization: Bearer …` header; other schemes are refused, not ignored. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.trim() === '') return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('Unsupported Authorization header: use "Bearer <token>"');
  return match[1];
}

export const createAuthz = (db: Database, principal: Principal) =>
  new Authz(
    principal,
    (userId, ids) => findEffectiveRoles(db, userId, ids),
    (root, ids) => findWithinSubtree(db, root, ids),
  );

export async function createContext(deps: AppDeps, meta: RequestMeta, token: string | undefined): Promise<Context> {
  const principal = token === undefined ? ANONYMOUS : await authenticate(deps, token);
  return { ...meta, db: deps.db, deps, principal, authz: createAuthz(deps.db, principal), loaders: createLoaders(deps.db) };
}

/** Switches the rest of a request to another principal (after login, the signed-in user). */
export function actAs(ctx: Context, principal: Principal): void {
  ctx.principal = principal;
  ctx.authz = createAuthz(ctx.db, principal);
}

/**
 * The same caller on a transaction: services called with it write inside `tx` (their own
 * transactions become savepoints) and read through it (fresh loaders, authorization), so several
 * service calls commit or roll back as one change.
 */
export function transactionContext(ctx: ServiceContext, tx: Database): ServiceContext {
  shareServerSettings(ctx.db, tx);
  return { ...ctx, db: tx, loaders: createLoaders(tx), authz: createAuthz(tx, ctx.principal) };
}
