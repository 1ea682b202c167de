// The budget in response headers. Everywhere: RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset in seconds until the window ends (the IETF httpapi draft's fields). In the
// GitLab dialects, GitLab's own set instead: RateLimit-Name, -Limit, -Observed, -Remaining,
// -Reset as a Unix time and -ResetTime as an HTTP date. A refused request adds Retry-After.
import type { BudgetState } from './budget.js';

export type HeaderStyle = 'standard' | 'gitlab';

export const headerStyleOf = (dialect: string): HeaderStyle => (dialect === 'gitlab' || dialect === 'gitlab-v3' ? 'gitlab' : 'standard');

export const retryAfterSeconds = (s: Pick<BudgetState, 'resetAt'>, now = Date.now()) => Math.max(1, Math.ceil((s.resetAt - now) / 1000));

export function budgetHeaders(s: BudgetState & { name?: string }, style: HeaderStyle = 'standard', now = Date.now()): Record<string, string> {
  const h: Record<string, string> =
    style === 'gitlab'
      ? {
          'ratelimit-name': s.name ?? 'throttle_authenticated_api',
          'ratelimit-limit': String(s.limit),
          'ratelimit-observed': String(s.used),
          'ratelimit-remaining': String(s.remaining),
          'ratelimit-reset': String(Math.ceil(s.resetAt / 1000)),
          'ratelimit-resettime': new Date(s.resetAt).toUTCString(),
        }
      : { 'ratelimit-limit': String(s.limit), 'ratelimit-remaining': String(s.remaining), 'ratelimit-reset': String(retryAfterSeconds(s, now)) };
  if (!s.allowed) h['retry-after'] = String(retryAfterSeconds(s, now));
  return h;
}
