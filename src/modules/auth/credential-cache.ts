// A short-lived, in-process cache of personal API tokens → Principal: a script (or a dashboard)
// sending many requests with one token spends no statement and no round trip on authentication
// for each of them (the small benchmark query went from 2 statements to 1).
//
// How long a change can go unnoticed — the bound:
// - revoking through GraphQL in this process: none. revokePersonalAccessToken evicts, and every
//   GraphQL mutation (blocking or deleting a user, …), through /graphql or a REST route, clears
//   this process's cache when it is done;
// - expiry: none, each hit checks the token's expiry;
// - anything else (another gateway process, SQL run by hand): a token keeps working
//   for at most TOKEN_CACHE_TTL_MS (default 1 s, at most 5 s; 0 turns the cache off) after it
//   was last checked against the database.
// - losing a role revokes the user's tokens bound inside that organization in the same
//   mutation, so the same clear applies.
// JWT access tokens are not cached: their check costs no statement of its own worth saving
// here, and their user's state, token version and the token's revocation (logout) are read
// fresh on every request — so ending a session is instant in every process, not only this one.
import type { Principal } from '../../core/auth/principal.js';
import type { Database } from '../../core/db.js';
import type { FeedListener } from '../../core/events/feed.js';
import { parseEventNotice } from '../logs/event-log.live.js';

const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  expiresAt: number | null;
  checkedAt: number;
}

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number) {}

  /** The principal of a token hash checked less than the TTL ago (and not expired). */
  get(tokenHash: string, now: number): Principal | undefined {
    if (this.ttlMs === 0) return undefined;
    const e = this.entries.get(tokenHash);
    if (!e) return undefined;
    if (now - e.checkedAt >= this.ttlMs || (e.expiresAt !== null && e.expiresAt <= now)) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return e.principal;
  }

  set(tokenHash: string, principal: Principal, expiresAt: Date | null, now: number): void {
    if (this.ttlMs === 0) return;
    // Oldest first out: Map keeps insertion order.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { principal: freezePrincipal(principal), expiresAt: expiresAt?.getTime() ?? null, checkedAt: now });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Shared between requests, so nobody may change it in place. */
function freezePrincipal(p: Principal): Principal {
  if (p.kind === 'user') {
    if (p.credential.type === 'personal_access_token') Object.freeze(p.credential.scopes);
    Object.freeze(p.credential);
  }
  return Object.freeze(p);
}

// One cache per database handle: gateways in one process (tests) never share principals.
const caches = new WeakMap<Database, CredentialCache>();

export function credentialCacheOf(db: Database, ttlMs: number): CredentialCache {
  let c = caches.get(db);
  if (!c) {
    c = new CredentialCache(ttlMs);
    caches.set(db, c);
  }
  return c;
}

/**
 * Actions after which a credential may no longer be good: a token revoked, a user blocked,
 * disabled (user.update), deleted or signed out, a password changed, a role lost (which revokes
 * the tokens bound there). Any gateway on the database that hears one (the event log's notices,
 * core/events/feed.ts) drops its cached credentials at once, so the next request anywhere checks
 * the database.
 */
export const REVOKING_ACTIONS = /^(personalAccessToken\.revoke|session\.logout|user\.(block|unblock|delete|update|changePassword)|membership\.(remove|changeRole))$/;

/** A feed listener that calls onRevoked for every revoking action among the event log's notices. */
export function revocationListener(onRevoked: () => void): FeedListener {
  return {
    onPayloads(payloads) {
      if (payloads.some((p) => REVOKING_ACTIONS.test(parseEventNotice(p).action))) onRevoked();
    },
    // Notices may have been missed while the listen was down: assume the worst.
    onResync: onRevoked,
  };
}
