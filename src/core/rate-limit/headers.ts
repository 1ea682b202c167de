// The budget in response headers. Everywhere: RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset in seconds until the window ends (the IETF httpapi draft's fields). In the
// GitLab dialects, GitLab's own set instead: RateLimit-Name, -Limit, -Observed, -Remaining,
// -Reset as a Unix time and -ResetTime as an HTTP date. A refused request adds Retry-After.
// Written straight into the answer's headers: they go out with every request.
import type { BudgetState } from './budget.js';

export type HeaderStyle = 'standard' | 'gitlab';

export const headerStyleOf = (dialect: string): HeaderStyle => (dialect === 'gitlab' || dialect === 'gitlab-v3' ? 'gitlab' : 'standard');

export const retryAfterSeconds = (s: Pick<BudgetState, 'resetAt'>, now = Date.now()) => Math.max(1, Math.ceil((s.resetAt - now) / 1000));

/** Writes the headers with `put` (a fastify reply's header(), a HeaderMap's set()). */
export function writeBudgetHeaders(s: BudgetState & { name?: string }, style: HeaderStyle, put: (name: string, value: string) => unknown, now = Date.now()): void {
  if (style === 'gitlab') {
    put('ratelimit-name', s.name ?? 'throttle_authenticated_api');
    put('ratelimit-limit', String(s.limit));
    put('ratelimit-observed', String(s.used));
    put('ratelimit-remaining', String(s.remaining));
    put('ratelimit-reset', String(Math.ceil(s.resetAt / 1000)));
    put('ratelimit-resettime', new Date(s.resetAt).toUTCString());
  } else {
    put('ratelimit-limit', String(s.limit));
    put('ratelimit-remaining', String(s.remaining));
    put('ratelimit-reset', String(retryAfterSeconds(s, now)));
  }
  if (!s.allowed) put('retry-after', String(retryAfterSeconds(s, now)));
}

/** The same headers as an object. */
export function budgetHeaders(s: BudgetState & { name?: string }, style: HeaderStyle = 'standard', now = Date.now()): Record<string, string> {
  const h: Record<string, string> = {};
  writeBudgetHeaders(s, style, (k, v) => (h[k] = v), now);
  return h;
}
