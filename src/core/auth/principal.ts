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
  | { kind: 'user'; userId: string; username: string; isInstanceAdmin: boolean; credential: Credential };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export const isUser = (p: Principal): p is UserPrincipal => p.kind === 'user';

/** Access tokens from login carry every right of their user; API tokens carry their scopes. */
export function hasScope(p: Principal, scope: TokenScope): boolean {
  if (p.kind !== 'user') return false;
  if (p.credential.type === 'access_token') return true;
  return p.credential.scopes.includes('api') || p.credential.scopes.includes(scope);
}
