// Cross-origin requests (CORS_ORIGINS): browsers on the listed origins may call /graphql and the
// REST dialects with credentials (cookies, Authorization); every other origin gets no CORS header
// at all, so its browser refuses to hand it the answer. Exact origins only, no patterns: a
// pattern that is one character too loose hands a user's session to another site.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export interface CorsSettings {
  /** Exact origins (`scheme://host[:port]`); empty: cross-origin calls get no CORS header. */
  origins: readonly string[];
  /** How long a browser may reuse a preflight answer (Access-Control-Max-Age). */
  maxAgeSeconds: number;
}

/** Answer headers a browser app may read: request ids, budgets, and the dialects' paging. */
const EXPOSED_HEADERS = [
  'x-request-id',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'link',
  'x-total',
  'x-total-pages',
  'x-page',
  'x-per-page',
  'x-next-page',
  'x-prev-page',
];

/** `https://app.example.com` as given is an origin; a path, a slash or user info is not. */
export function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    // WHATWG URL takes `*` in a host name; a wildcard is a pattern, not an origin.
    const host = /^[a-z0-9.-]+$/.test(url.hostname) || /^\[[0-9a-f:.]+\]$/.test(url.hostname);
    return (url.protocol === 'https:' || url.protocol === 'http:') && host && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * Registers @fastify/cors when origins are configured. Unset, nothing is registered: same-origin
 * and non-browser callers pay no hook, and a preflight from anywhere finds no route (404).
 */
export async function registerCors(app: FastifyInstance, settings: CorsSettings, preflightLogLevel: string): Promise<void> {
  if (settings.origins.length === 0) return;
  const allowed = new Set(settings.origins);
  await app.register(cors, {
    // A listed origin is echoed (credentials need the exact origin, never `*`); any other gets
    // `false`: no Access-Control-* header, and its preflight falls through to the 404.
    origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // allowedHeaders is left unset: a preflight's Access-Control-Request-Headers is mirrored,
    // as the dialects' credential headers differ (PRIVATE-TOKEN, X-DASHBOARD-API-KEY, …).
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: settings.maxAgeSeconds,
    // Preflights are noise in the logs at info (observability.ts: probeLogLevel).
    logLevel: preflightLogLevel as 'debug',
  });
}
