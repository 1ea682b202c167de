// A user's avatars: list, add from a link (201), upload an image as multipart/form-data in the
// part `file` (201), change (label and link: 200; label and image: …/to/{newlabel}, 200), delete
// (204), and the stored images served byte for byte by hash.
//
// Choices where the document is vague:
// - GET …/avatar answers a list of `{label, source}` (the document shows one object).
// - A stored image's `source` is its URL here: <mount>/users/avatar/img/<sha256 of the bytes>.
// - Images: PNG, JPEG, GIF or WebP (no SVG: it can carry scripts), at most AVATAR_MAX_BYTES
//   (default 256 KiB; larger: 413); served with their content type and `nosniff`.
// - `facebook` and `github` are the linked accounts' avatars: creating, changing or deleting
//   one is 409.
// - PUT …/to/{newlabel} without a file renames only.
import { notFound, unauthenticated } from '../../core/errors.js';
import { labelString, plainText } from '../schemas.js';
import type { JsonSchema, RestRequest, Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

type AvatarNode = { label: string; source: string | null; fileHash: string | null };
const AVATAR_FIELDS = 'label source fileHash';

/** Where this mount serves a stored image (the path up to /users/, then the image route). */
export function imageUrl(r: RestRequest, hash: string): string {
  const path = r.url.pathname;
  return `${r.url.origin}${path.slice(0, path.indexOf('/users/'))}/users/avatar/img/${hash}`;
}
export const avatarBody = (a: AvatarNode, r: RestRequest) => ({ label: a.label, source: a.fileHash ? imageUrl(r, a.fileHash) : (a.source ?? '') });
const avatarSchema: JsonSchema = { type: 'object', properties: { label: labelString, source: { type: 'string' } }, required: ['label', 'source'] };
const linkBody: JsonSchema = { type: 'object', properties: { label: labelString, source: plainText(2048, 1) }, required: ['label', 'source'] };
const fileBody: JsonSchema = {
  type: 'object',
  properties: {
    file: {
      type: 'object',
      properties: { filename: plainText(255), contentType: plainText(255, 1), base64: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' } },
      required: ['contentType', 'base64'],
    },
  },
};
/** Uploads come as multipart/form-data with the image in the part `file` (rest/forms.ts turns it into fileBody's shape, which JSON callers may send too). */
const UPLOAD: JsonSchema = { type: 'object', properties: { file: { type: 'string', contentMediaType: 'image/*', contentEncoding: 'binary' } } };
const SET = `mutation($input: SetAvatarInput!) { setAvatar(input: $input) { avatar { ${AVATAR_FIELDS} } userErrors { code field message } } }`;
const setOp = (name: string) => SET.replace('mutation(', `mutation ${name}(`);
const image = (b: { file?: { contentType: string; base64: string } } | undefined) => (b?.file ? { contentType: b.file.contentType, base64: b.file.base64 } : null);

export const avatarRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/:username/avatar',
    summary: 'The user’s avatars.',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'array', items: avatarSchema },
    operation: `query iyo_avatars($username: String!) { ${OWNER_FIELDS} user(username: $username) { id avatars { ${AVATAR_FIELDS} } } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d, r) => ({ body: requireOwner<{ id: string; avatars: AvatarNode[] }>(d).avatars.map((a) => avatarBody(a, r)) }),
  },
  {
    method: 'POST',
    path: '/users/:username/avatar',
    summary: 'Adds an avatar from a link (201); a used or reserved label is 409.',
    params: usernameParams(),
    querystring: tokenQuery,
    body: linkBody,
    response: avatarSchema,
    status: 201,
    operation: setOp('iyo_avatar_link'),
    variables: (r) => ({ input: { username: r.params.username, newLabel: r.body.label, source: r.body.source } }),
    respond: (d, r) => ({ status: 201, body: avatarBody(d.setAvatar.avatar, r) }),
  },
  {
    method: 'POST',
    path: '/users/:username/avatar/img/:label',
    summary: 'Adds an avatar from an image (multipart/form-data, part `file`; 201); too large is 413.',
    params: usernameParams('label'),
    querystring: tokenQuery,
    body: { ...fileBody, required: ['file'] },
    bodyMediaTypes: { 'multipart/form-data': { ...UPLOAD, required: ['file'] }, 'application/json': { ...fileBody, required: ['file'] } },
    response: avatarSchema,
    status: 201,
    operation: setOp('iyo_avatar_upload'),
    variables: (r) => ({ input: { username: r.params.username, newLabel: r.params.label, image: image(r.body) } }),
    respond: (d, r) => ({ status: 201, body: avatarBody(d.setAvatar.avatar, r) }),
  },
  {
    method: 'PUT',
    path: '/users/:username/avatar/:label',
    summary: 'Changes an avatar’s label and link (200); 404 when there is none, 409 for a used or reserved label.',
    params: usernameParams('label'),
    querystring: tokenQuery,
    body: linkBody,
    response: avatarSchema,
    operation: setOp('iyo_avatar_update'),
    variables: (r) => ({ input: { username: r.params.username, label: r.params.label, newLabel: r.body.label, source: r.body.source } }),
    respond: (d, r) => ({ body: avatarBody(d.setAvatar.avatar, r) }),
  },
  {
    method: 'PUT',
    path: '/users/:username/avatar/:label/to/:newlabel',
    summary: 'Renames an avatar and, with a file (multipart, part `file`), replaces its image (200).',
    params: usernameParams('label', 'newlabel'),
    querystring: tokenQuery,
    body: fileBody,
    bodyMediaTypes: { 'multipart/form-data': UPLOAD, 'application/json': fileBody },
    response: avatarSchema,
    operation: setOp('iyo_avatar_replace'),
    variables: (r) => ({ input: { username: r.params.username, label: r.params.label, newLabel: r.params.newlabel, image: image(r.body) } }),
    respond: (d, r) => ({ body: avatarBody(d.setAvatar.avatar, r) }),
  },
  {
    method: 'DELETE',
    path: '/users/:username/avatar/:label',
    summary: 'Removes an avatar (204); those of linked accounts are protected (409).',
    params: usernameParams('label'),
    querystring: tokenQuery,
    status: 204,
    operation: `mutation iyo_avatar_remove($input: AvatarRefInput!) { removeAvatar(input: $input) { userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, label: r.params.label } }),
    respond: () => ({ status: 204, body: undefined }),
  },
  {
    method: 'GET',
    path: '/users/avatar/img/:hash',
    summary: 'A stored avatar image, byte for byte with its content type; 404 when there is none.',
    params: { type: 'object', properties: { hash: { type: 'string', pattern: '^[0-9a-f]{64}$' } }, required: ['hash'] },
    querystring: tokenQuery,
    response: { type: 'string', format: 'binary' },
    operation: `query iyo_avatar_image($hash: String!) { viewer { id } avatarFile(hash: $hash) { contentType base64 } }`,
    variables: (r) => ({ hash: r.params.hash }),
    respond: (d) => {
      if (!d.viewer) throw unauthenticated();
      if (!d.avatarFile) throw notFound('No avatar file for this hash');
      return {
        body: Buffer.from(d.avatarFile.base64, 'base64'),
        headers: { 'content-type': d.avatarFile.contentType, 'x-content-type-options': 'nosniff', 'cache-control': 'private, max-age=86400' },
      };
    },
  },
];
