// Who is calling. Every credential style (JWT access token, personal API token, and later the
// REST dialects' headers) becomes one of these, and services decide on it alone.

export const TOKEN_SCOPES = ['api', 'read_api'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export type Credential =
  // jti: what logout revokes (absent only for principals built in-process, e.g. by the seed tool).
  | { type: 'access_token'; expiresAt: Date; jti?: string }
  | { type: 'personal_access_token'; tokenId: string; organizationId: string | null; scopes: TokenScope[] };

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; username: string; isInstanceAdmin: boolean; credential: Credential }
  /**
   * A third party acting inside a team (organization) with a JWT signed by one of the team's
   * shared secrets (Seald's anonymous access): no user, only the secret's permissions. Every
   * rule written for users denies it by default; the few services it may use check
   * `teamJwtMay` explicitly.
   */
  | { kind: 'teamJwt'; organizationId: string; secretId: string; permissions: number[] }
  /**
   * An organization itself, by one of its API keys (Itsyouonline): no user. It reads inside its
   * own organization (policy.ts: 'organization:read' there, nothing else) and reads users only
   * through the grants they gave that organization (authorization.service.ts). Every other rule
   * denies it by default.
   */
  | { kind: 'organization'; organizationId: string; apiKeyId: string };

/** Seald's JWT permissions: -1 all, 0 create messages, 1 retrieve keys, 2 retrieve sigchains. */
export const JWT_PERMISSIONS = [-1, 0, 1, 2] as const;

/** Whether a shared-secret JWT may act in `organizationId` with `permission`. */
export function teamJwtMay(p: Principal, organizationId: string, permission: 0 | 1 | 2): boolean {
  return p.kind === 'teamJwt' && p.organizationId === organizationId && (p.permissions.includes(-1) || p.permissions.includes(permission));
}

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export const isUser = (p: Principal): p is UserPrincipal => p.kind === 'user';

/** Access tokens from login carry every right of their user; API tokens carry their scopes. */
export function hasScope(p: Principal, scope: TokenScope): boolean {
  if (p.kind !== 'user') return false;
  if (p.credential.type === 'access_token') return true;
  return p.credential.scopes.includes('api') || p.credential.scopes.includes(scope);
}
