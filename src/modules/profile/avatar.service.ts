// The rule of avatars: a user's images by label — a link (http/https) or an uploaded PNG, JPEG,
// GIF or WebP image of at most the configured size (AVATAR_MAX_BYTES; larger PAYLOAD_TOO_LARGE),
// stored here and served byte for byte by the SHA-256 of its bytes. Labels follow the labelled
// rule (one per user, used → CONFLICT); the provider labels (`facebook`, `github`) are reserved
// for linked accounts: creating, changing or deleting them is a CONFLICT. The user (or an
// instance admin) manages them; others see none. Each change commits with its event-log row.
import { createHash } from 'node:crypto';
import type { ServiceContext } from '../../context.js';
import { conflict, DomainError, notFound, validation } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/sql-errors.js';
import { isPlainText } from '../../core/validation.js';
import { recordEvent } from '../logs/event-log.service.js';
import type { UserRow } from '../users/user.repo.js';
import { userByUsername } from '../users/user.service.js';
import { requireSignedIn } from '../users/user.writes.js';
import { deleteAvatar, findAvatarFileByHash, insertAvatar, updateAvatar, type AvatarListRow } from './avatar.repo.js';
import { checkLabel } from './profile.service.js';

type Ctx = ServiceContext;

/** Labels of the avatars linked accounts bring; no request may create, change or remove them. */
export const RESERVED_AVATAR_LABELS = ['facebook', 'github'];
export const MAX_AVATARS = 20;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const HASH = /^[0-9a-f]{64}$/;

export interface AvatarImage {
  contentType: string;
  base64: string;
}

function checkSource(source: string): string {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw validation('source', 'The source must be an http or https link');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || source.length > 2048 || !isPlainText(source)) throw validation('source', 'The source must be an http or https link');
  return source;
}

function checkImage(image: AvatarImage, maxBytes: number): { contentType: string; bytes: Buffer } {
  const contentType = image.contentType.toLowerCase().split(';')[0]!.trim();
  if (!IMAGE_TYPES.includes(contentType)) throw validation('file', `The image must be one of ${IMAGE_TYPES.join(', ')}`);
  // Base64 is 4/3 of the bytes: refuse what is too large before decoding it.
  if (image.base64.length > Math.ceil((maxBytes * 4) / 3) + 4) throw new DomainError('PAYLOAD_TOO_LARGE', `An avatar image is at most ${maxBytes} bytes`);
  const bytes = Buffer.from(image.base64, 'base64');
  if (bytes.length > maxBytes) throw new DomainError('PAYLOAD_TOO_LARGE', `An avatar image is at most ${maxBytes} bytes`);
  if (bytes.length === 0) throw validation('file', 'The image is empty');
  return { contentType, bytes };
}

const reserved = (label: string) => RESERVED_AVATAR_LABELS.includes(label.toLowerCase());

async function avatarOwner(ctx: Ctx, username: string): Promise<UserRow> {
  requireSignedIn(ctx);
  const user = await userByUsername(ctx, username);
  if (!user) throw notFound('User not found');
  await ctx.authz.assert('user:update', { userId: user.id }, { message: 'You may change only your own avatars' });
  return user;
}

export async function avatarsOf(ctx: Ctx, userId: string): Promise<AvatarListRow[]> {
  if (!ctx.authz.isSelfOrAdmin(userId)) return [];
  return ctx.loaders.avatarsByUserId.load(userId);
}

/** A stored image by hash, for any signed-in caller (the hash is the SHA-256 of the bytes: not guessable). */
export async function avatarFile(ctx: Ctx, hash: string): Promise<{ contentType: string; base64: string } | null> {
  if (!ctx.authz.userId || !HASH.test(hash)) return null;
  const row = await findAvatarFileByHash(ctx.db, hash);
  return row?.contentType && row.dataBase64 != null ? { contentType: row.contentType, base64: row.dataBase64 } : null;
}

export interface SetAvatarInput {
  username: string;
  /** The avatar to change; null creates one under `newLabel`. */
  label?: string | null;
  newLabel: string;
  source?: string | null;
  image?: AvatarImage | null;
}

/**
 * Creates an avatar (no `label`) or changes one (its label, and its link or image). Exactly one
 * of `source` and `image` is given for a new avatar; a change may give neither (a rename).
 */
export async function setAvatar(ctx: Ctx, input: SetAvatarInput, maxBytes: number): Promise<AvatarListRow> {
  const user = await avatarOwner(ctx, input.username);
  const newLabel = checkLabel(input.newLabel, 'label');
  if (input.source != null && input.image != null) throw validation('source', 'Give a link or an image, not both');
  const values: { source?: string | null; fileHash?: string | null; contentType?: string | null; dataBase64?: string | null } = {};
  if (input.source != null) Object.assign(values, { source: checkSource(input.source), fileHash: null, contentType: null, dataBase64: null });
  if (input.image != null) {
    const { contentType, bytes } = checkImage(input.image, maxBytes);
    Object.assign(values, { source: null, fileHash: createHash('sha256').update(bytes).digest('hex'), contentType, dataBase64: bytes.toString('base64') });
  }
  const mine = await ctx.loaders.avatarsByUserId.load(user.id);
  const current = input.label == null ? null : mine.find((a) => a.label === input.label);
  if (input.label != null && !current) throw notFound('Avatar not found');
  if (reserved(newLabel) || (current && reserved(current.label))) throw conflict('label', 'The avatars of linked accounts are protected');
  if (mine.some((a) => a.label === newLabel && a.id !== current?.id)) throw conflict('label', 'Label is already used');
  if (!current && values.source === undefined) throw validation('source', 'Give a link or an image');
  if (!current && mine.length >= MAX_AVATARS) throw validation('label', `At most ${MAX_AVATARS} avatars`);
  try {
    await ctx.db.transaction(async (tx) => {
      if (current) await updateAvatar(tx, user.id, current.id, { label: newLabel, ...values });
      else await insertAvatar(tx, { userId: user.id, label: newLabel, ...values });
      await recordEvent(tx, ctx, { action: current ? 'avatar.update' : 'avatar.add', user2Id: user.id, data: { label: newLabel, previousLabel: current?.label ?? null, file: values.fileHash ?? null } });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'avatars_user_label_key')) throw conflict('label', 'Label is already used');
    throw err;
  }
  ctx.loaders.avatarsByUserId.clear(user.id);
  return (await ctx.loaders.avatarsByUserId.load(user.id)).find((a) => a.label === newLabel)!;
}

export async function removeAvatar(ctx: Ctx, input: { username: string; label: string }): Promise<void> {
  const user = await avatarOwner(ctx, input.username);
  const current = (await ctx.loaders.avatarsByUserId.load(user.id)).find((a) => a.label === input.label);
  if (!current) throw notFound('Avatar not found');
  if (reserved(current.label)) throw conflict('label', 'The avatars of linked accounts are protected');
  await ctx.db.transaction(async (tx) => {
    await deleteAvatar(tx, user.id, current.id);
    await recordEvent(tx, ctx, { action: 'avatar.remove', user2Id: user.id, data: { label: current.label } });
  });
  ctx.loaders.avatarsByUserId.clear(user.id);
}
