// Rules for public keys (SSH and labelled keys): every signed-in caller sees them (GitLab serves
// them even at /<user>.keys); the owner and instance admins (user:manageKeys) add and remove
// them. SSH keys are parsed and normalised, and their fingerprints are unique system-wide. Each
// change commits with its event-log row.
import type { ServiceContext } from '../../context.js';
import { notFound, validation } from '../../core/errors.js';
import { recordEvent } from '../logs/event-log.service.js';
import { MAX_KEY_LENGTH, parseSshKey, sha256Fingerprint } from './ssh-key.js';
import { optionalText } from './user.checks.js';
import { deletePublicKey, insertPublicKey, updatePublicKey, type PublicKeyRow } from './user.repo.js';
import { forgetUser, requireSignedIn, requireUser, withUniqueness } from './user.writes.js';

type Ctx = ServiceContext;

/** Public keys are visible to every signed-in caller (GitLab serves them even at /<user>.keys). */
export async function publicKeysOf(ctx: Ctx, userId: string): Promise<PublicKeyRow[]> {
  if (!ctx.authz.userId) return [];
  return ctx.loaders.publicKeysByUserId.load(userId);
}

export async function readablePublicKey(ctx: Ctx, id: string): Promise<PublicKeyRow | null> {
  if (!ctx.authz.userId) return null;
  return ctx.loaders.publicKeyById.load(id);
}

export interface AddPublicKeyInput {
  userId?: string | null;
  kind: 'ssh' | 'labelled';
  label?: string | null;
  key: string;
}

export async function addPublicKey(ctx: Ctx, input: AddPublicKeyInput): Promise<PublicKeyRow> {
  const me = requireSignedIn(ctx);
  const user = await requireUser(ctx, input.userId ?? me);
  await ctx.authz.assert('user:manageKeys', { userId: user.id }, { message: 'You may change only your own keys' });
  let key: string;
  let fingerprint: string;
  let label = optionalText(input.label, 'label', 255) ?? null;
  if (input.kind === 'ssh') {
    const parsed = parseSshKey(input.key);
    if ('error' in parsed) throw validation('key', parsed.error);
    key = parsed.normalized;
    fingerprint = parsed.fingerprint;
    label ??= parsed.comment && parsed.comment.length <= 255 ? parsed.comment : null;
  } else {
    ({ key, fingerprint } = labelledKey(input.key));
  }
  if (!label) throw validation('label', 'A label is required');
  const row = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const row = await insertPublicKey(tx, { userId: user.id, kind: input.kind, label: label!, key, fingerprint });
      await recordEvent(tx, ctx, { action: 'publicKey.add', user2Id: user.id, data: { publicKeyId: row.id, kind: row.kind, fingerprint } });
      return row;
    }),
  );
  forgetUser(ctx, user.id);
  return row;
}

/** A labelled key as stored: trimmed, bounded, with the fingerprint of its text. */
function labelledKey(raw: string): { key: string; fingerprint: string } {
  const key = raw.trim();
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw validation('key', `Key must be 1 to ${MAX_KEY_LENGTH} characters`);
  return { key, fingerprint: sha256Fingerprint(key) };
}

/** Renames a labelled key and/or replaces its key text (its owner or instance admins); a used label is a CONFLICT. */
export async function updateLabelledPublicKey(ctx: Ctx, id: string, change: { label?: string | null; key?: string | null }): Promise<PublicKeyRow> {
  requireSignedIn(ctx);
  const current = await readablePublicKey(ctx, id);
  if (!current || current.kind !== 'labelled') throw notFound('Public key not found');
  await ctx.authz.assert('user:manageKeys', { userId: current.userId }, { message: 'You may change only your own keys' });
  const label = change.label == null ? current.label : optionalText(change.label, 'label', 255);
  if (!label) throw validation('label', 'A label is required');
  const next = change.key == null ? null : labelledKey(change.key);
  const row = await withUniqueness(() =>
    ctx.db.transaction(async (tx) => {
      const row = await updatePublicKey(tx, current.id, { label, ...(next ?? {}) });
      await recordEvent(tx, ctx, { action: 'publicKey.update', user2Id: current.userId, data: { publicKeyId: current.id, labelChanged: label !== current.label, keyChanged: next !== null } });
      return row!;
    }),
  );
  forgetUser(ctx, current.userId);
  ctx.loaders.publicKeyById.clear(current.id);
  return row;
}

export async function removePublicKey(ctx: Ctx, id: string): Promise<void> {
  requireSignedIn(ctx);
  const key = await readablePublicKey(ctx, id);
  if (!key) throw notFound('Public key not found');
  // Keys are public, so someone else's key is not hidden: touching it is forbidden, not missing.
  await ctx.authz.assert('user:manageKeys', { userId: key.userId }, { message: 'You may remove only your own keys' });
  await ctx.db.transaction(async (tx) => {
    await deletePublicKey(tx, key.id);
    await recordEvent(tx, ctx, { action: 'publicKey.remove', user2Id: key.userId, data: { publicKeyId: key.id, kind: key.kind, fingerprint: key.fingerprint } });
  });
  forgetUser(ctx, key.userId);
}
