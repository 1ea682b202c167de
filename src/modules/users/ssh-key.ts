// Parses OpenSSH public keys (`type base64 [comment]`) and computes the fingerprint that
// `ssh-keygen -l` prints: "SHA256:" + unpadded base64 of the SHA-256 of the decoded blob.
// The blob is checked structurally (its fields are length-prefixed and must match the type),
// so random base64 under a valid type name is refused rather than stored.
import { createHash } from 'node:crypto';

export interface ParsedSshKey {
  type: string;
  /** `type base64 [comment]` with single spaces. */
  normalized: string;
  comment: string | null;
  fingerprint: string;
}

const ECDSA_CURVES: Record<string, string> = {
  'ecdsa-sha2-nistp256': 'nistp256',
  'ecdsa-sha2-nistp384': 'nistp384',
  'ecdsa-sha2-nistp521': 'nistp521',
};
const SSH_TYPES = new Set(['ssh-ed25519', 'ssh-rsa', ...Object.keys(ECDSA_CURVES)]);

export const MAX_KEY_LENGTH = 16_384;

/** Unpadded base64 of SHA-256, the form OpenSSH prints fingerprints in. */
export const sha256Fingerprint = (data: Buffer | string): string => 'SHA256:' + createHash('sha256').update(data).digest('base64').replace(/=+$/, '');

/** The length-prefixed fields of an SSH wire-format blob; null when it does not split exactly. */
function splitFields(blob: Buffer): Buffer[] | null {
  const out: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return null;
    const len = blob.readUInt32BE(at);
    at += 4;
    if (at + len > blob.length) return null;
    out.push(blob.subarray(at, at + len));
    at += len;
  }
  return out;
}

/** The parsed key, or a reason it is not a supported OpenSSH public key. */
export function parseSshKey(text: string): ParsedSshKey | { error: string } {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_KEY_LENGTH) return { error: `Key must be 1 to ${MAX_KEY_LENGTH} characters` };
  const [type, b64, ...rest] = trimmed.split(/\s+/);
  if (!type || !SSH_TYPES.has(type)) return { error: 'Key type must be ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521' };
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { error: 'Key data is not base64' };
  const blob = Buffer.from(b64, 'base64');
  // Node's decoder skips bad input silently; a round trip proves the text was canonical base64.
  if (blob.toString('base64') !== b64) return { error: 'Key data is not valid base64' };
  const fields = splitFields(blob);
  if (!fields || fields.length === 0 || fields[0]!.toString('latin1') !== type) return { error: 'Key data does not match its type' };
  const ok =
    type === 'ssh-ed25519'
      ? fields.length === 2 && fields[1]!.length === 32
      : type === 'ssh-rsa'
        ? fields.length === 3 && fields[1]!.length > 0 && fields[2]!.length >= 128 // modulus ≥ 1024 bits
        : fields.length === 3 && fields[1]!.toString('latin1') === ECDSA_CURVES[type] && fields[2]!.length > 0;
  if (!ok) return { error: 'Key data does not match its type' };
  const comment = rest.length ? rest.join(' ') : null;
  return { type, normalized: [type, b64, comment].filter(Boolean).join(' '), comment, fingerprint: sha256Fingerprint(blob) };
}
