// Random secrets (API tokens, generated passwords) and their stored form.
import { createHash, randomBytes } from 'node:crypto';

/** Personal API tokens carry a prefix so secret scanners and people can recognise them. */
export const PERSONAL_TOKEN_PREFIX = 'igw_';

export const newPersonalToken = (): string => PERSONAL_TOKEN_PREFIX + randomBytes(32).toString('base64url');

export const newPassword = (): string => randomBytes(18).toString('base64url');

/** Tokens are high-entropy, so sha256 suffices (no salt, no stretching) and allows lookup. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
