// The origin links in REST answers are built from (GitLab `web_url` and `Link`, DRF `next` and
// `previous`, portal URLs). The Host header is the client's to choose, so it never decides
// where a link points: PUBLIC_URL does; without it, behind a proxy the operator trusts
// (TRUST_PROXY), the proxy's X-Forwarded-Host/Proto (fastify's request.host/protocol then read
// them); otherwise this server's own address.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

export function publicOrigin(config: Pick<Config, 'publicUrl' | 'trustProxy' | 'host' | 'port'>, request: FastifyRequest): string {
  if (config.publicUrl) return config.publicUrl;
  if (config.trustProxy) {
    const origin = originOf(`${request.protocol}://${request.host}`);
    if (origin) return origin;
  }
  const host = WILDCARD_HOSTS.has(config.host) ? 'localhost' : config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  // The port this connection reached (PORT=0 picks one at start); tests' injected requests have none.
  const port = request.socket?.localPort || config.port;
  return `http://${host}:${port}`;
}

/** The origin of a forwarded scheme and host, or null when they do not make one. */
function originOf(candidate: string): string | null {
  try {
    const u = new URL(candidate);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/' && !u.search && !u.username ? u.origin : null;
  } catch {
    return null;
  }
}

/** The request's URL on the public origin; the path is appended, so `//host/…` stays a path. */
export const publicRequestUrl = (config: Parameters<typeof publicOrigin>[0], request: FastifyRequest): URL => new URL(publicOrigin(config, request) + request.url);
