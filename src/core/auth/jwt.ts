// Access tokens: EdDSA (Ed25519) JWTs signed with jose. The key pair comes from
// JWT_PRIVATE_KEY or is generated once and stored in the database (sealed with MASTER_KEY when
// set), so restarts and every other process sharing the database accept the same tokens.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { eq } from 'drizzle-orm';
import { signingKeys } from '../../../schema/auth.js';
import type { Database } from '../db.js';
import { unauthenticated } from '../errors.js';
import { isSealed, openStored, storedForm } from './sealed.js';

const PURPOSE = 'access_token';
const ALG = 'EdDSA';
const AUDIENCE = 'graphql';

export interface AccessTokenClaims {
  userId: string;
  expiresAt: Date;
  /** The token's own id: what `logout` revokes. */
  jti: string;
  /** users.token_version when it was signed; a token of an older version is void. */
  version: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class AccessTokens {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly kid: string,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  static async load(db: Database, opts: { privateKeyPem?: string; issuer: string; ttlSeconds: number; masterKey?: Buffer }): Promise<AccessTokens> {
    let privateKey: KeyObject;
    if (opts.privateKeyPem) {
      privateKey = createPrivateKey(opts.privateKeyPem);
      if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('JWT_PRIVATE_KEY must be an Ed25519 key');
    } else {
      privateKey = await loadOrCreateStoredKey(db, opts.masterKey);
    }
    const publicKey = createPublicKey(privateKey);
    const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
    return new AccessTokens(privateKey, publicKey, kid, opts.issuer, opts.ttlSeconds);
  }

  /** `version`: the user's token_version now (see schema/users.ts). */
  async sign(userId: string, version: number): Promise<{ token: string; expiresAt: Date; jti: string }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.ttlSeconds;
    const jti = randomUUID();
    const token = await new SignJWT({ typ: 'access', ver: version })
      .setJti(jti)
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000), jti };
  }

  /** Verifies signature, algorithm (only EdDSA: "none" and HMAC tricks fail), issuer, audience, expiry. */
  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { algorithms: [ALG], issuer: this.issuer, audience: AUDIENCE });
      // Every token this gateway signs carries jti and ver (tokens without them predate logout and
      // are refused: the user signs in again once).
      const { sub, exp, jti, ver } = payload;
      if (typeof sub !== 'string' || payload.typ !== 'access' || typeof exp !== 'number' || typeof jti !== 'string' || !UUID.test(jti) || !Number.isSafeInteger(ver)) {
        throw unauthenticated('Invalid access token');
      }
      return { userId: sub, expiresAt: new Date(exp * 1000), jti, version: ver as number };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthenticated('Access token expired');
      if (err instanceof joseErrors.JOSEError) throw unauthenticated('Invalid access token');
      throw err;
    }
  }
}

// The stored private key is sealed with MASTER_KEY when one is set (core/auth/sealed.ts), so a
// copy of the database (a backup, a read replica, a leaked dump) does not hold a key that signs
// tokens. Without MASTER_KEY it is stored as PEM, readable by whoever reads the table. Setting
// MASTER_KEY later seals a key stored before; removing it stops the start (the key cannot be
// read), rather than silently signing with a new key.
const SEALED_PURPOSE = 'signing_key:access_token';

async function loadOrCreateStoredKey(db: Database, masterKey: Buffer | undefined): Promise<KeyObject> {
  const read = async () => (await db.select().from(signingKeys).where(eq(signingKeys.purpose, PURPOSE)))[0];
  let row = await read();
  if (!row) {
    const pair = generateKeyPairSync('ed25519');
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const kid = await calculateJwkThumbprint(await exportJWK(pair.publicKey));
    // Two processes may race on first start: the insert that loses is ignored and both read
    // back the winner's key.
    await db
      .insert(signingKeys)
      .values({ purpose: PURPOSE, kid, algorithm: ALG, privateKeyPem: storedForm(privatePem, masterKey, SEALED_PURPOSE), publicKeyPem: publicPem })
      .onConflictDoNothing();
    row = (await read())!;
  }
  const pem = openStored(row.privateKeyPem, masterKey, SEALED_PURPOSE);
  if (masterKey && !isSealed(row.privateKeyPem)) {
    await db.update(signingKeys).set({ privateKeyPem: storedForm(pem, masterKey, SEALED_PURPOSE) }).where(eq(signingKeys.purpose, PURPOSE));
  }
  return createPrivateKey(pem);
}
