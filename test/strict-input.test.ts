// Strict input, table-driven over the whole surface: every Query and Mutation field that takes
// arguments (enumerated from the schema), every connection field (the cursor), and every REST
// route of every dialect (iterated from the route tables, so routes added later are covered) get
// a NUL, a lone surrogate, a forged cursor, a huge page number, a deep variable or body, and a
// wrong JSON type. Each answers a 4xx in its surface's shape (GraphQL's errors[] with a 4xx code,
// the dialect's error schema), never a 5xx, and no table gains or loses a row.
import Ajv from 'ajv';
import { sql } from 'drizzle-orm';
import {
  astFromValue,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/core/db.js';
import { ERROR_CODES, type ErrorCode } from '../src/core/errors.js';
import { DIALECTS } from '../src/rest/index.js';
import type { JsonSchema, Route } from '../src/rest/types.js';
import { insertWebhook } from '../src/modules/webhooks/webhook.repo.js';
import { buildSchema } from '../src/schema.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed } from './helpers/seed.js';

const NUL = 'a\u0000b';
const SURROGATE = 'a\ud800b';
const FORGED_CURSORS = [
  'WyIyMDIwLTEzLTQ1IiwienoiXQ', // ["2020-13-45","zz"]: a date PostgreSQL refuses, no uuid
  Buffer.from(JSON.stringify([1, 2, 3, 4, 5, 6])).toString('base64url'), // wrong arity
  Buffer.from(JSON.stringify([true, 7])).toString('base64url'), // wrong types
  Buffer.from(JSON.stringify(['2020-01-01T00:00:00.000Z', 'not-a-uuid'])).toString('base64url'),
  Buffer.from(JSON.stringify(['a\u0000', '00000000-0000-0000-0000-000000000000'])).toString('base64url'),
  '%%% not base64 %%%',
  Buffer.from('{"a":1}').toString('base64url'),
];
const NINES = '9'.repeat(400);
/** JSON text of `value` with a 5,000-deep array in place of the string DEEP (JSON.stringify itself would overflow). */
const DEEP = '<deep>';
const withDeep = (value: unknown) => JSON.stringify(value).replace(JSON.stringify(DEEP), `${'['.repeat(5000)}${']'.repeat(5000)}`);

/** A value of an input type with every string leaf `s` (required fields only, lists of one). */
function valueOf(type: GraphQLInputType, s: unknown, depth = 0): unknown {
  if (isNonNullType(type)) return valueOf(type.ofType, s, depth);
  if (isListType(type)) return [valueOf(type.ofType, s, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    if (depth > 4) return {};
    const fields = Object.values(type.getFields());
    // Required fields, and at depth 0 every string field too (a NUL in an optional search term).
    const chosen = fields.filter((f) => isNonNullType(f.type) || (depth === 0 && getNamedType(f.type).name === 'String'));
    return Object.fromEntries((chosen.length ? chosen : fields.slice(0, 1)).map((f) => [f.name, valueOf(f.type, s, depth + 1)]));
  }
  switch (getNamedType(type).name) {
    // A wrong-typed value (an object) goes where anything goes; otherwise a good number or flag.
    case 'Int':
    case 'Float':
      return typeof s === 'object' && s !== null ? s : 1;
    case 'Boolean':
      return typeof s === 'object' && s !== null ? s : true;
    case 'JSONObject':
      return { k: s };
    default:
      return s;
  }
}

/** An operation calling one field with every argument a variable, selecting only __typename. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, args: readonly GraphQLArgument[]): string {
  const defs = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind}${defs ? `(${defs})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
}

/** The same call with the arguments inline (literals), or null when a value has no literal form here. */
function inlineFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, args: readonly GraphQLArgument[], s: string): string | null {
  try {
    const call = args.map((a) => `${a.name}: ${print(astFromValue(valueOf(a.type, s), a.type)!)}`).join(', ');
    const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
    return `${kind} { ${field.name}(${call})${selection} }`;
  } catch {
    return null;
  }
}

/** Rows of every table: nothing refused may change them. */
async function rowCounts(t: TestGateway): Promise<Record<string, number>> {
  const tables = rowsOf<{ name: string }>(await t.db.db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`));
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = rowsOf<{ n: number | string }>(await t.db.db.execute(sql.raw(`select count(*) as n from "${name}"`)));
    out[name] = Number(row!.n);
  }
  return out;
}

const clientCode = (code: unknown) => typeof code === 'string' && (!(code in ERROR_CODES) || (ERROR_CODES[code as ErrorCode].status >= 400 && ERROR_CODES[code as ErrorCode].status < 500));

/** What the originals answer a caller without a credential (dialects not listed: their error schema only). */
const ANONYMOUS_BODIES: Record<string, unknown> = {
  gitlab: { message: '401 Unauthorized' },
  'gitlab-v3': { message: '401 Unauthorized' },
  accounts: { detail: 'Authentication credentials were not provided.' },
  oisp: { code: 401, message: ERROR_CODES.UNAUTHENTICATED.message },
};

describe.each(DRIVERS)('strict input on %s', (driver) => {
  let t: TestGateway;
  const raw = async (body: string, token: string | undefined = ADMIN.token) => {
    const res = await t.gw.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });
    return { status: res.statusCode, body: res.json() as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
  };
  const send = (query: string, variables?: Record<string, unknown>) => raw(JSON.stringify({ query, variables }));
  /** A refusal: a 4xx (or a 200 whose errors all carry a client code), never a 5xx or a masked error. */
  const expectRefused = (r: Awaited<ReturnType<typeof raw>>, label: string) => {
    expect(r.status, label).toBeLessThan(500);
    expect(r.body.errors?.length ?? 0, `${label}: ${JSON.stringify(r.body).slice(0, 300)}`).toBeGreaterThan(0);
    for (const e of r.body.errors!) expect(clientCode(e.extensions?.code), `${label}: ${JSON.stringify(e).slice(0, 300)}`).toBe(true);
  };

  beforeAll(async () => {
    t = await startTestGateway(driver);
    // Something on every path the cursor test walks: an organization (with a member) and a message.
    const s = seed(t);
    const owner = await s.user('strict-owner');
    await s.org('strict-org', { owner });
  });
  afterAll(() => t?.close());

  it('takes an inline JSON object literal as it takes the same value as a variable', async () => {
    const inline = await send(`mutation { createMessage(input: { metadata: { k: 1, nested: { list: [1, "two"] }, __proto__: { polluted: true } } }) { message { metadata } userErrors { code message } } }`);
    expect(inline.body.errors, JSON.stringify(inline.body)).toBeUndefined();
    const message = (inline.body.data as { createMessage: { message: { metadata: Record<string, unknown> }; userErrors: unknown[] } }).createMessage;
    expect(message.userErrors).toEqual([]);
    // (JSON.parse: an object literal's `__proto__` would set the expectation's prototype.)
    expect(message.message.metadata).toEqual(JSON.parse('{"k": 1, "nested": {"list": [1, "two"]}, "__proto__": {"polluted": true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Nested past the input depth (as a variable may not be either), or a NUL inside: refused before it runs.
    const nested = (n: number) => `${'{ a: '.repeat(n)}1${' }'.repeat(n)}`;
    expect((await send(`mutation { createMessage(input: { metadata: ${nested(20)} }) { message { id } } }`)).body.errors).toBeUndefined();
    for (const q of [`mutation { createMessage(input: { metadata: ${nested(200)} }) { message { id } } }`, 'mutation { createMessage(input: { metadata: { k: "a\\u0000" } }) { message { id } } }']) {
      const r = await send(q);
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses NUL, lone surrogates, deep variables and wrong types in every Query and Mutation field that takes arguments', async () => {
    const schema = await buildSchema();
    const before = await rowCounts(t);
    let fields = 0;
    for (const [kind, type] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const) {
      for (const field of Object.values(type.getFields())) {
        if (field.args.length === 0) continue;
        fields++;
        // Every argument given (optional ones too), so each string argument carries the value.
        const args = field.args;
        const op = operationFor(kind, field, args);
        const stringish = args.some((a) => JSON.stringify(valueOf(a.type, '\u0001')).includes('\\u0001'));
        for (const bad of stringish ? [NUL, SURROGATE] : []) {
          const variables = Object.fromEntries(args.map((a) => [a.name, valueOf(a.type, bad)]));
          expectRefused(await send(op, variables), `${field.name} variables ${JSON.stringify(bad)}`);
          const inline = inlineFor(kind, field, args, bad);
          if (inline) expectRefused(await send(inline), `${field.name} inline ${JSON.stringify(bad)}`);
        }
        // A 5,000-deep array in a variable the operation does not even declare.
        const fine = Object.fromEntries(args.map((a) => [a.name, valueOf(a.type, 'x')]));
        expectRefused(await raw(withDeep({ query: op, variables: { ...fine, unused: DEEP } })), `${field.name} deep`);
        // Wrong JSON types: an object where a string (or anything) goes.
        expectRefused(await send(op, Object.fromEntries(args.map((a) => [a.name, valueOf(a.type, { not: 'a string' })]))), `${field.name} wrong type`);
        // A number past every integer, where integers go.
        const ints = args.filter((a) => /^Int!?$/.test(a.type.toString()));
        if (ints.length) {
          const body = JSON.stringify({ query: op, variables: { ...fine, ...Object.fromEntries(ints.map((a) => [a.name, 0])) } }).replace(/:0([,}])/g, `:${NINES}$1`);
          expectRefused(await raw(body), `${field.name} huge number`);
        }
      }
    }
    expect(fields).toBeGreaterThan(30);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('refuses them on the known-query lane too (compiled code, no Apollo pipeline)', async () => {
    const q = 'query strictKnown($u: String!, $f: UserFilter) { user(username: $u) { username } users(first: 1, filter: $f) { nodes { id } } }';
    for (let i = 0; i < 3; i++) expect((await send(q, { u: ADMIN.username })).body.errors).toBeUndefined();
    const { answered, fellThrough } = t.gw.app.knownQueries.stats;
    const before = { ...t.gw.app.knownQueries.stats };
    expect((await send(q, { u: ADMIN.username })).body.errors).toBeUndefined();
    expect(t.gw.app.knownQueries.stats.answered).toBe(before.answered + 1);
    expect(answered + fellThrough).toBeGreaterThan(0);
    for (const variables of [{ u: NUL }, { u: SURROGATE }, { u: 'x', f: { search: NUL } }]) {
      const r = await send(q, variables);
      expectRefused(r, `known lane ${JSON.stringify(variables)}`);
      expect(r.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    }
    expectRefused(await raw(withDeep({ query: q, variables: { u: 'x', unused: DEEP } })), 'known lane deep');
    // Each of those was tried on the lane and handed to Apollo, which refused it.
    expect(t.gw.app.knownQueries.stats.fellThrough).toBe(before.fellThrough + 4);
  });

  it('refuses a forged cursor on every connection field, as BAD_USER_INPUT', async () => {
    const schema = await buildSchema();
    // A webhook on the first organization, so that Webhook.deliveries is reached (written
    // directly: its URL check would look the host up).
    const first = await send('{ organizations(first: 1) { nodes { id } } }');
    const orgUuid = Buffer.from((first.body.data as { organizations: { nodes: { id: string }[] } }).organizations.nodes[0]!.id, 'base64url').toString().split(':')[1]!;
    await insertWebhook(t.db.db, { organizationId: orgUuid, url: 'https://hooks.example.com/in', secret: 'whsec_test' });
    const query = schema.getQueryType()!;
    /** A path from Query to one object of `type` (no required arguments), as selection text around `inner`. */
    const reach = (type: GraphQLObjectType, inner: string, from: GraphQLObjectType = query, hops = 2): string | null => {
      for (const f of Object.values(from.getFields())) {
        if (f.args.some((a) => isNonNullType(a.type))) continue;
        const named = getNamedType(f.type);
        if (named === type) return `${f.name} { ${inner} }`;
        if (named.name === `${type.name}Connection`) return `${f.name}(first: 1) { nodes { ${inner} } }`;
      }
      // Two hops: through a root list of objects (Organization.webhooks under organizations).
      if (hops > 1) {
        for (const f of Object.values(from.getFields())) {
          if (f.args.some((a) => isNonNullType(a.type))) continue;
          const named = getNamedType(f.type);
          const node = isObjectType(named) && named.name.endsWith('Connection') ? schema.getType(named.name.slice(0, -'Connection'.length)) : null;
          if (!node || !isObjectType(node)) continue;
          const inside = reach(type, inner, node, hops - 1);
          if (inside) return `${f.name}(first: 1) { nodes { ${inside} } }`;
        }
      }
      return null;
    };
    let connections = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      // Subscriptions run over WebSocket: their forged cursors are test/subscriptions.test.ts's.
      if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getSubscriptionType()) continue;
      for (const field of Object.values(type.getFields())) {
        if (!field.args.some((a) => a.name === 'after')) continue;
        const required = field.args.filter((a) => isNonNullType(a.type) && a.name !== 'after');
        expect(required, `${type.name}.${field.name} takes only optional arguments besides the cursor`).toEqual([]);
        connections++;
        for (const cursor of FORGED_CURSORS) {
          const call = `${field.name}(first: 2, after: ${JSON.stringify(cursor)}) { nodes { __typename } }`;
          const q = type === query ? `{ ${call} }` : `{ ${reach(type, call)} }`;
          expect(q, `${type.name}.${field.name} is reachable`).not.toContain('null');
          const r = await send(q);
          const label = `${type.name}.${field.name} after ${cursor}`;
          expectRefused(r, label);
          expect(r.body.errors?.[0]?.extensions?.code, `${label}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe('BAD_USER_INPUT');
        }
      }
    }
    expect(connections).toBe(21); // with Webhook.deliveries and User.seeDocuments
  });

  it('reports hasPreviousPage truthfully on offset pages', async () => {
    const page = async (args: string) => (await send(`{ users(${args}) { nodes { id } pageInfo { hasPreviousPage hasNextPage } } }`)).body.data as { users: { pageInfo: { hasPreviousPage: boolean } } };
    expect((await page('first: 2, offset: 3')).users.pageInfo.hasPreviousPage).toBe(true);
    expect((await page('first: 2, offset: 0')).users.pageInfo.hasPreviousPage).toBe(false);
    expect((await page('first: 2')).users.pageInfo.hasPreviousPage).toBe(false);
  });

  describe('every REST route of every dialect', () => {
    const ajv = new Ajv({ strict: false });
    const mountOf = (name: string) => DIALECTS.find((d) => d.name === name)!.mounts[0]!;
    /** A value its schema takes (path parameters: digits, a uuid, an email). */
    const sample = (s: JsonSchema | undefined): string => {
      const pattern = String(s?.pattern ?? '');
      if (/\[0-9\]|\\d/.test(pattern) && !/-/.test(pattern)) return '1';
      if (/8\}|uuid/i.test(pattern)) return '6f1c0b7e-1d2a-4c3b-9e8f-0a1b2c3d4e5f';
      if (/@/.test(pattern)) return 'someone@example.com';
      return 'x';
    };
    const urlOf = (mount: string, route: Route, params: Record<string, string> = {}) =>
      mount +
      route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? sample((route.params?.properties as Record<string, JsonSchema> | undefined)?.[name])));
    /** A body its schema takes in shape, every string `s` (non-strings as the schema's types say). */
    const bodyOf = (schema: JsonSchema | undefined, s: unknown): unknown => {
      if (!schema) return undefined;
      const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
      if (type === 'object') {
        const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
        return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, bodyOf(v, s)]));
      }
      if (type === 'array') return [bodyOf(schema.items as JsonSchema, s)];
      if (type === 'integer' || type === 'number') return 1;
      if (type === 'boolean') return true;
      return s;
    };
    /** Wrong JSON types for each field: an array for a string, true for a name, [1]/true for a counter, null for a boolean. */
    const wrongBodies = (schema: JsonSchema | undefined): unknown[] => {
      const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
      const good = bodyOf(schema, 'someone@example.com') as Record<string, unknown>;
      return Object.entries(props).flatMap(([k, v]) => {
        const type = Array.isArray(v.type) ? v.type : [v.type];
        const wrong = type.includes('string') ? [['x'], true, 7] : type.includes('integer') || type.includes('number') ? [[1], true, '5'] : type.includes('boolean') ? [null, 'true', 1] : [];
        return wrong.map((w) => ({ ...good, [k]: w }));
      });
    };

    it('answers 401 in the dialect’s body to a caller without a credential, before anything is read', async () => {
      const before = await rowCounts(t);
      const statements = t.db.statementCount;
      let routes = 0;
      for (const dialect of DIALECTS) {
        const mount = mountOf(dialect.name);
        for (const route of dialect.routes) {
          if (route.public) continue;
          routes++;
          const res = await t.gw.app.inject({ method: route.method, url: urlOf(mount, route), ...(route.body ? { payload: bodyOf(route.body, 'someone@example.com') as object } : {}) });
          const label = `${dialect.name} ${route.method} ${route.path}`;
          expect(res.statusCode, label).toBe(401);
          expect(ajv.validate(dialect.errorSchema, res.json()), `${label}: ${res.body}`).toBe(true);
          if (ANONYMOUS_BODIES[dialect.name]) expect(res.json(), label).toEqual(ANONYMOUS_BODIES[dialect.name]);
        }
      }
      expect(routes).toBeGreaterThan(40);
      // Nothing was looked up: not a statement for all of them.
      expect(t.db.statementCount).toBe(statements);
      expect(await rowCounts(t)).toEqual(before);
    });

    it('refuses NUL, lone surrogates, deep bodies, huge page numbers and wrong JSON types with a 4xx in the dialect’s shape', async () => {
      const before = await rowCounts(t);
      let cases = 0;
      for (const dialect of DIALECTS) {
        const mount = mountOf(dialect.name);
        const auth = { authorization: `Bearer ${ADMIN.token}` };
        const check = async (route: Route, opts: { url?: string; payload?: string }, what: string) => {
          cases++;
          const res = await t.gw.app.inject({ method: route.method, url: opts.url ?? urlOf(mount, route), headers: { ...auth, ...(opts.payload !== undefined ? { 'content-type': 'application/json' } : {}) }, payload: opts.payload });
          const label = `${dialect.name} ${route.method} ${route.path} ${what}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, label).toBeLessThan(500);
          expect(res.statusCode, label).not.toBe(401);
          expect(ajv.validate(dialect.errorSchema, res.json()), label).toBe(true);
        };
        for (const route of dialect.routes) {
          const paramNames = Object.keys((route.params?.properties as object | undefined) ?? {});
          // A lone surrogate has no UTF-8 form, so it can only come in a JSON body (as an escape).
          for (const p of paramNames) await check(route, { url: urlOf(mount, route, { [p]: NUL }) }, `path ${p} NUL`);
          // A lone surrogate's bytes (no valid UTF-8): no route, answered in the dialect's shape.
          for (const p of paramNames) await check(route, { url: urlOf(mount, route, { [p]: 'BAD-BYTES' }).replace('BAD-BYTES', '%ED%A0%80') }, `path ${p} invalid UTF-8`);
          // Any query parameter (declared or not) and every string of the body.
          await check(route, { url: `${urlOf(mount, route)}?search=${encodeURIComponent(NUL)}` }, 'query NUL');
          for (const [bad, name] of [[NUL, 'NUL'], [SURROGATE, 'surrogate']] as const) {
            const body = JSON.stringify(bodyOf(route.body, bad));
            if (body?.includes(JSON.stringify(bad).slice(1, -1))) await check(route, { payload: body }, `body ${name}`);
          }
          const query = (route.querystring?.properties ?? {}) as Record<string, JsonSchema>;
          // (Page sizes past the maximum are capped, not refused: the next test.)
          for (const p of ['page', 'offset', 'limit']) if (query[p]) await check(route, { url: `${urlOf(mount, route)}?${p}=${NINES}` }, `${p}=<400 nines>`);
          if (route.body) {
            await check(route, { payload: withDeep({ ...(bodyOf(route.body, 'someone@example.com') as object), deep: DEEP }) }, 'deep body');
            for (const wrong of wrongBodies(route.body)) await check(route, { payload: JSON.stringify(wrong) }, `wrong type ${JSON.stringify(wrong).slice(0, 120)}`);
          }
        }
      }
      expect(cases).toBeGreaterThan(200);
      expect(await rowCounts(t)).toEqual(before);
    });

    it('answers an organization’s API key (a principal that is no user) on every route of every dialect without a 5xx, and it changes nothing', async () => {
      // The key of `strict-org` (made in beforeAll), as Itsyouonline's client-credentials keys are.
      const made = await send(`mutation { createOrganizationApiKey(input: { organization: "strict-org", label: "strict sweep", clientCredentialsGrantType: true }) { secret userErrors { code message } } }`);
      const secret = (made.body.data as { createOrganizationApiKey: { secret: string | null } }).createOrganizationApiKey.secret;
      expect(secret, JSON.stringify(made.body)).toBeTruthy();
      // Its own rate-limit budget is the one row it may add.
      const counts = async () => {
        const { rate_limit_budgets: _budget, ...rest } = await rowCounts(t);
        return rest;
      };
      const before = await counts();
      let routes = 0;
      for (const dialect of DIALECTS) {
        const mount = mountOf(dialect.name);
        // (Public routes — sign-in, forgotten passwords — do not look at the credential.)
        for (const route of dialect.routes.filter((r) => !r.public)) {
          routes++;
          const res = await t.gw.app.inject({
            method: route.method,
            url: urlOf(mount, route, { globalid: 'strict-org', username: ADMIN.username }),
            headers: { authorization: `Bearer ${secret}` },
            ...(route.body ? { payload: bodyOf(route.body, 'someone@example.com') as object } : {}),
          });
          const label = `${dialect.name} ${route.method} ${route.path}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, label).toBeLessThan(500);
          if (res.statusCode >= 400 && res.body) expect(ajv.validate(dialect.errorSchema, res.json()), label).toBe(true);
        }
      }
      expect(routes).toBeGreaterThan(240);
      expect(await counts()).toEqual(before);
    });

    it('caps page sizes above a dialect’s maximum, as GitLab (per_page 100) and DRF (max_page_size) do', async () => {
      for (let i = 0; i < 3; i++) await t.createUser({ username: `strict-cap-${i}`, email: `strict-cap-${i}@example.com` });
      const get = (url: string) => t.gw.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN.token}` } });
      for (const size of ['1000', NINES]) {
        const gitlab = await get(`/api/v4/users?per_page=${size}`);
        expect(gitlab.statusCode).toBe(200);
        expect(gitlab.headers['x-per-page']).toBe('100');
        expect(gitlab.headers.link).toContain('per_page=100');
        const drf = await get(`/accounts/users/?page_size=${size}`);
        expect(drf.statusCode).toBe(200);
        expect(drf.json().results.length).toBeGreaterThanOrEqual(3);
      }
      // The cap, not the asked size, decides the pages: 2 per page is still 2.
      const two = await get('/accounts/users/?page_size=2');
      expect(two.json().results).toHaveLength(2);
      // A page number past every page is still refused (DRF: 404 "Invalid page.", GitLab: 400).
      expect((await get(`/accounts/users/?page=${NINES}`)).json()).toEqual({ detail: 'Invalid page.' });
      expect((await get(`/api/v4/users?page=${NINES}`)).statusCode).toBe(400);
    });

    it('lists every bad body field at once, in each dialect’s words', async () => {
      const post = (url: string, payload: object) => t.gw.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${ADMIN.token}` }, payload });
      const before = await rowCounts(t);
      const gitlab = await post('/api/v4/users', { email: 'x@example.com', password: 'password-1', username: ['strict-arr'], name: true, projects_limit: [1], admin: null });
      expect(gitlab.statusCode).toBe(400);
      expect(gitlab.json()).toEqual({ message: { username: ['is invalid'], name: ['is invalid'], projects_limit: ['is invalid'], admin: ['is invalid'] } });
      const drf = await post('/accounts/organizations/', { name: true, slug: ['strict-arr'] });
      expect(drf.statusCode).toBe(400);
      expect(drf.json()).toMatchObject({ name: ['Not a valid string.'], slug: ['Not a valid string.'] });
      const nul = await post('/accounts/organizations/', { name: 'a\u0000b', slug: 'strict-nul' });
      expect(nul.json()).toEqual({ name: ['Null characters are not allowed.'] });
      const surrogate = await t.gw.app.inject({ method: 'POST', url: '/accounts/organizations/', headers: { authorization: `Bearer ${ADMIN.token}`, 'content-type': 'application/json' }, payload: '{"name": "a\\ud800b", "slug": "strict-sur"}' });
      expect(surrogate.json()).toEqual({ name: ['Surrogate characters are not allowed: U+D800.'] });
      // `{"accept": null}` no longer declines an invitation: 400, nothing changes.
      const oisp = await t.gw.app.inject({ method: 'PUT', url: '/v1/api/invites/6f1c0b7e-1d2a-4c3b-9e8f-0a1b2c3d4e5f/status', headers: { authorization: `Bearer ${ADMIN.token}` }, payload: { accept: null } });
      expect(oisp.statusCode).toBe(400);
      expect(oisp.json()).toMatchObject({ code: 400 });
      expect(await rowCounts(t)).toEqual(before);
    });
  });
});
