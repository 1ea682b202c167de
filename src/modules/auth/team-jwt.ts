// JWTs signed by a team's shared secret (Seald's anonymous access) → a `teamJwt` Principal.
// Rules: HS256 only, verified with jose against the secret named by `iss` (its id); `iat`,
// `exp` and `jti` are required, `exp` at most MAX_LIFETIME_S after `iat` (so used ids need
// keeping only that long); each `jti` is accepted once per secret (claimed atomically, so two
// concurrent uses of one JWT cannot both pass). The principal carries exactly the secret's
// permissions inside the secret's team.
import { decodeJwt, errors, jwtVerify } from 'jose';
import { and, eq, lt } from 'drizzle-orm';
import { jwtSharedSecrets, jwtUsedIds } from '../../../schema/dashboard.js';
import type { Principal } from '../../core/auth/principal.js';
import { openSecret } from '../../core/auth/server-secrets.js';
import type { Database } from '../../core/db.js';
import { unauthenticated } from '../../core/errors.js';
import { isUuid } from '../../core/validation.js';

export const MAX_LIFETIME_S = 3600;
/** What a team's shared secret is sealed for under MASTER_KEY (core/auth/server-secrets.ts storeSecret). */
export const JWT_SECRET_PURPOSE = 'team jwt secret';
const CLOCK_TOLERANCE_S = 30;

export async function authenticateTeamJwt(db: Database, token: string): Promise<Principal> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw unauthenticated('Invalid JWT');
  }
  if (typeof iss !== 'string' || !isUuid(iss)) throw unauthenticated('Invalid JWT issuer');
  const [secret] = await db.select().from(jwtSharedSecrets).where(eq(jwtSharedSecrets.id, iss.toLowerCase()));
  if (!secret) throw unauthenticated('Invalid JWT issuer');
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(openSecret(db, secret.sharedSecret, JWT_SECRET_PURPOSE)), {
      algorithms: ['HS256'],
      issuer: iss,
      requiredClaims: ['iat', 'exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (err) {
    throw unauthenticated(err instanceof errors.JWTExpired ? 'JWT has expired' : 'Invalid JWT');
  }
  const { iat, exp, jti } = claims as { iat: number; exp: number; jti: unknown };
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 255) throw unauthenticated('Invalid JWT id');
  if (exp - iat > MAX_LIFETIME_S || iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) throw unauthenticated(`A JWT may live at most ${MAX_LIFETIME_S} s`);
  const now = new Date();
  await db.delete(jwtUsedIds).where(and(eq(jwtUsedIds.secretId, secret.id), lt(jwtUsedIds.expiresAt, now)));
  const claimed = await db
    .insert(jwtUsedIds)
    .values({ secretId: secret.id, jti, expiresAt: new Date((exp + CLOCK_TOLERANCE_S) * 1000) })
    .onConflictDoNothing()
    .returning({ jti: jwtUsedIds.jti });
  if (claimed.length === 0) throw unauthenticated('This JWT was already used');
  return { kind: 'teamJwt', organizationId: secret.organizationId, secretId: secret.id, permissions: secret.permissions };
}
