// "See" documents of a user: the list (latest version of each), creating one (201), one document
// with its versions (`version`: -1 the latest, 0 all, n that one — an unknown n gives the latest,
// as documented), a new version (PUT, 201) and signing a version (PUT …/sign/{version}, 201).
//
// Choices where the document is vague:
// - The writing organization is the one the caller's token is bound to (organization API keys:
//   part 2); `{globalid}` must be it (else 404). The user and instance admins read every
//   document of the user. Body fields `username`, `globalid`, `uniqueid` (on PUT) and `version`
//   are taken from the path and the store, not the body.
// - A new version keeps the fields the body leaves out and starts unsigned; a `keystore_label`
//   that names no key of the organization is 412; a version over 64 KiB is 413.
// - Bounds (the document sets none): `GET /users/{username}/see` stays the documented bare array
//   but answers at most SEE_LIST_MAX (100) documents, the newest first (one page of the
//   User.seeDocuments connection, each with its latest version only); a document keeps at most
//   100 versions and a PUT past that is 409 with nothing written (see modules/profile/see.ts).
//   `GET …/see/{uniqueid}/{globalid}` reads that one document: its latest version, or (for
//   `version` other than -1) its versions, at most 100.
import { notFound } from '../../core/errors.js';
import { plainText, slugString, usernameString } from '../schemas.js';
import type { JsonSchema, Route } from '../types.js';
import { OWNER_FIELDS, requireOwner, tokenQuery, usernameParams } from './common.js';

type Version = { version: number; content: Record<string, string> };
type Doc = { uniqueId: string; organization: string; versions: Version[] };
type Latest = { uniqueId: string; organization: string; latest: Version };
/** The most documents the bare-array list answers: one full page of the connection. */
export const SEE_LIST_MAX = 100;
const LATEST_FIELDS = 'uniqueId organization latest { version content }';
const DOC_FIELDS = 'uniqueId organization versions { version content }';
const FIELDS = ['category', 'link', 'content_type', 'markdown_short_description', 'markdown_full_description', 'creation_date', 'start_date', 'end_date', 'keystore_label', 'signature'];
const versionBody = (v: Version) => ({ version: v.version, ...Object.fromEntries(FIELDS.map((f) => [f, v.content[f] ?? ''])) });
const viewBody = (d: Latest, username: string) => ({ username, globalid: d.organization, uniqueid: d.uniqueId, ...versionBody(d.latest) });
const contentOf = (b: Record<string, unknown>) => Object.fromEntries(FIELDS.filter((f) => b[f] !== undefined).map((f) => [f, b[f]]));

const text = plainText(70_000);
const seeBody: JsonSchema = {
  type: 'object',
  properties: {
    username: { type: 'string', maxLength: 255 },
    globalid: { type: 'string', maxLength: 255 },
    uniqueid: plainText(255, 1),
    version: { type: 'integer' },
    ...Object.fromEntries(FIELDS.map((f) => [f, text])),
  },
};
const docParams = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  properties: { username: usernameString, uniqueid: plainText(255, 1), globalid: slugString, ...extra },
  required: ['username', 'uniqueid', 'globalid', ...Object.keys(extra)],
});
const docsOf = <D>(d: any) => requireOwner<{ id: string; username: string; seeDocuments: { nodes: D[] } }>(d);
const CHANGE = `mutation($input: ChangeSeeDocumentInput!) { changeSeeDocument(input: $input) { document { ${LATEST_FIELDS} } userErrors { code field message } } }`;
const SIGN = `mutation iyo_see_sign($input: ChangeSeeDocumentInput!) { changeSeeDocument(input: $input) { document { ${DOC_FIELDS} } userErrors { code field message } } }`;

export const seeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/users/:username/see',
    summary: 'The user’s see documents, newest first, at most 100 (their latest versions).',
    params: usernameParams(),
    querystring: tokenQuery,
    response: { type: 'array', items: seeBody },
    operation: `query iyo_see_list($username: String!) { ${OWNER_FIELDS} user(username: $username) { id username seeDocuments(first: ${SEE_LIST_MAX}) { nodes { ${LATEST_FIELDS} } } } }`,
    variables: (r) => ({ username: r.params.username }),
    respond: (d) => {
      const u = docsOf<Latest>(d);
      return { body: u.seeDocuments.nodes.map((doc) => viewBody(doc, u.username)) };
    },
  },
  {
    method: 'POST',
    path: '/users/:username/see',
    summary: 'Creates a see document for the accessing organization (201); 412 for an unknown keystore label.',
    params: usernameParams(),
    querystring: tokenQuery,
    body: { ...seeBody, required: ['uniqueid'] },
    response: seeBody,
    status: 201,
    operation: `mutation iyo_see_create($input: CreateSeeDocumentInput!) { createSeeDocument(input: $input) { document { ${LATEST_FIELDS} } userErrors { code field message } } }`,
    variables: (r) => ({ input: { username: r.params.username, uniqueId: r.body.uniqueid, content: contentOf(r.body) } }),
    respond: (d, r) => ({ status: 201, body: viewBody(d.createSeeDocument.document, r.params.username!) }),
  },
  {
    method: 'GET',
    path: '/users/:username/see/:uniqueid/:globalid',
    summary: 'One see document with its versions (`version`: -1 latest, 0 all, n that one).',
    params: docParams(),
    querystring: { type: 'object', properties: { ...(tokenQuery.properties as object), version: { type: 'integer', minimum: -1, maximum: 1_000_000, default: -1 } } },
    response: { type: 'object', properties: { username: { type: 'string' }, versions: { type: 'array', items: seeBody } } },
    // The latest version alone for -1; the document's versions (at most 100) only when asked.
    operation: `query iyo_see_get($username: String!, $uniqueId: String!, $org: String!, $all: Boolean!) {
      ${OWNER_FIELDS} user(username: $username) { id username seeDocuments(first: 1, organization: $org, uniqueId: $uniqueId) { nodes {
        uniqueId organization latest { version content } versions @include(if: $all) { version content }
      } } }
    }`,
    variables: (r) => ({ username: r.params.username, uniqueId: r.params.uniqueid, org: r.params.globalid, all: Number(r.query.version ?? -1) !== -1 }),
    respond: (d, r) => {
      const u = docsOf<Latest & Partial<Doc>>(d);
      const doc = u.seeDocuments.nodes[0];
      if (!doc) throw notFound('See document not found');
      const want = Number(r.query.version ?? -1);
      const versions = doc.versions ?? [];
      const chosen = want === 0 ? versions : [versions.find((v) => v.version === want) ?? doc.latest];
      return { body: { username: u.username, globalid: doc.organization, uniqueid: doc.uniqueId, versions: chosen.map(versionBody) } };
    },
  },
  {
    method: 'PUT',
    path: '/users/:username/see/:uniqueid/:globalid',
    summary: 'Adds a version to the see document (201); 409 once it has 100 versions.',
    params: docParams(),
    querystring: tokenQuery,
    body: seeBody,
    response: seeBody,
    status: 201,
    operation: CHANGE.replace('mutation(', 'mutation iyo_see_update('),
    variables: (r) => ({ input: { username: r.params.username, uniqueId: r.params.uniqueid, organization: r.params.globalid, content: contentOf(r.body) } }),
    respond: (d, r) => ({ status: 201, body: viewBody(d.changeSeeDocument.document, r.params.username!) }),
  },
  {
    method: 'PUT',
    path: '/users/:username/see/:uniqueid/:globalid/sign/:version',
    summary: 'Signs one version of the see document (201): the body’s signature (and keystore_label).',
    params: docParams({ version: { type: 'string', pattern: '^[1-9][0-9]{0,6}$' } }),
    querystring: tokenQuery,
    body: { ...seeBody, required: ['signature'] },
    response: seeBody,
    status: 201,
    operation: SIGN,
    variables: (r) => ({
      input: { username: r.params.username, uniqueId: r.params.uniqueid, organization: r.params.globalid, content: contentOf(r.body), signVersion: Number(r.params.version) },
    }),
    respond: (d, r) => {
      const doc = d.changeSeeDocument.document as Doc;
      const v = doc.versions.find((x) => x.version === Number(r.params.version))!;
      return { status: 201, body: { username: r.params.username, globalid: doc.organization, uniqueid: doc.uniqueId, ...versionBody(v) } };
    },
  },
];
