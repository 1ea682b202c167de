// Itsyouonline's user routes on the REST engine (part 1): credentials as documented, the user,
// name, password and info, and the labelled collections (emailaddresses, phonenumbers,
// publickeys, addresses, banks, digitalwallet) with their validation flows; every route keeps
// users apart, and bad input never reaches a 5xx.
import { Validator } from '@seriousme/openapi-schema-validator';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/core/db.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';
import { eventsOf, lastOutbox } from './helpers/seed-users.js';
import { labelledRoutes } from '../src/rest/iyo/labelled.routes.js';
import { socialRoutes } from '../src/rest/iyo/social.routes.js';
import { userRoutes } from '../src/rest/iyo/users.routes.js';

const API = '/api';

describe.each(DRIVERS)('iyo dialect: users on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const alice = await s.user('iyoalice');
    const bob = await s.user('iyobob');
    tok = { alice: await s.tokenFor(alice), bob: await s.tokenFor(bob), admin: ADMIN.token };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: API + url,
      headers: { ...(token ? { authorization: `bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  };

  describe('credentials', () => {
    it('takes bearer and token (any case) and access_token; both at once is 400; none 401', async () => {
      expect((await call('GET', '/users/iyoalice', undefined, undefined, { authorization: `Bearer ${tok.alice}` })).status).toBe(200);
      expect((await call('GET', '/users/iyoalice', undefined, undefined, { authorization: `token ${tok.alice}` })).status).toBe(200);
      expect((await call('GET', '/users/iyoalice', undefined, undefined, { authorization: `TOKEN ${tok.alice}` })).status).toBe(200);
      expect((await call('GET', `/users/iyoalice?access_token=${tok.alice}`)).status).toBe(200);
      const both = await call('GET', `/users/iyoalice?access_token=${tok.alice}`, tok.alice);
      expect(both.status).toBe(400);
      expect(both.body).toEqual({ error: expect.any(String) });
      const none = await call('GET', '/users/iyoalice');
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ error: expect.any(String) });
      expect((await call('GET', '/users/iyoalice', undefined, undefined, { authorization: `basic ${tok.alice}` })).status).toBe(401);
    });

    it('documents its credential schemes at /openapi/iyo.json', async () => {
      const r = await t.gw.app.inject({ method: 'GET', url: '/openapi/iyo.json' });
      const doc = r.json();
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['access_token', 'bearer', 'token']);
      expect(doc.paths['/api/users/{username}/emailaddresses']).toHaveProperty('post');
      expect(Object.keys(doc.paths['/api/users/{username}/avatar/img/{label}'].post.requestBody.content)).toContain('multipart/form-data');
      const ops = Object.values(doc.paths as Record<string, object>).reduce((n: number, p) => n + Object.keys(p).length, 0);
      // 78 user operations (part 1) and 50 organization operations (part 2: orgs.routes.ts and orgpeople.routes.ts 29, orgapikeys.routes.ts and orgextras.routes.ts 21).
      expect(ops).toBe(128);
      const result = await new Validator().validate(doc);
      expect(result.errors ?? []).toEqual([]);
    });
  });

  describe('the user', () => {
    it('GET /users/{username}: the user and admins; another user 403; unknown 404', async () => {
      const r = await call('GET', '/users/iyoalice', tok.alice);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ username: 'iyoalice', firstname: '', lastname: '', publicKeys: [], addresses: [], bankaccounts: [], digitalwallet: [], phonenumbers: [] });
      expect(r.body.emailaddresses).toEqual([{ label: null, emailaddress: 'iyoalice@example.com' }]);
      expect((await call('GET', '/users/iyoalice', tok.admin)).status).toBe(200);
      const other = await call('GET', '/users/iyoalice', tok.bob);
      expect(other.status).toBe(403);
      expect(JSON.stringify(other.body)).not.toContain('iyoalice@example.com');
      expect((await call('GET', '/users/nosuchuser', tok.admin)).status).toBe(404);
    });

    it('PUT …/name: 204, and the name shows; another user 403 and nothing changes', async () => {
      expect((await call('PUT', '/users/iyoalice/name', tok.alice, { firstname: 'Alice', lastname: 'Liddell' })).status).toBe(204);
      expect((await call('GET', '/users/iyoalice', tok.alice)).body).toMatchObject({ firstname: 'Alice', lastname: 'Liddell' });
      expect((await call('PUT', '/users/iyoalice/name', tok.bob, { firstname: 'Evil', lastname: 'Bob' })).status).toBe(403);
      expect((await call('GET', '/users/iyoalice', tok.alice)).body).toMatchObject({ firstname: 'Alice', lastname: 'Liddell' });
      expect((await call('PUT', '/users/iyoalice/name', undefined, { firstname: 'A', lastname: 'B' })).status).toBe(401);
    });

    it('PUT …/password: 204 with the current one; a wrong one 422 {error}; another user 403', async () => {
      const wrong = await call('PUT', '/users/iyobob/password', tok.bob, { currentpassword: 'not-it', newpassword: 'bob-new-password' });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual({ error: expect.any(String) });
      const short = await call('PUT', '/users/iyobob/password', tok.bob, { currentpassword: 'iyobob-password', newpassword: 'short' });
      expect(short.status).toBe(422);
      expect((await call('PUT', '/users/iyobob/password', tok.alice, { currentpassword: 'iyobob-password', newpassword: 'alice-owns-you' })).status).toBe(403);
      expect((await call('PUT', '/users/iyobob/password', tok.bob, { currentpassword: 'iyobob-password', newpassword: 'bob-new-password' })).status).toBe(204);
      // A new password voids the earlier tokens: the old one is 401 now, a new sign-in works.
      expect((await call('GET', '/users/iyobob', tok.bob)).status).toBe(401);
      tok.bob = await t.login('iyobob', 'bob-new-password');
      expect((await call('GET', '/users/iyobob', tok.bob)).status).toBe(200);
      expect(await eventsOf(t, 'user.changePassword')).not.toHaveLength(0);
    });

    it('GET …/info: everything for the user, validated lists apart; another user 403', async () => {
      const r = await call('GET', '/users/iyoalice/info', tok.alice);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ username: 'iyoalice', firstname: 'Alice', validatedemailaddresses: [], organizations: [], avatar: [], ownerof: { emailaddresses: [] } });
      expect((await call('GET', '/users/iyoalice/info', tok.bob)).status).toBe(403);
    });
  });

  describe('creating users and unlinking accounts', () => {
    it('POST /users (admins): the user with every collection, 201; all or nothing; others 403', async () => {
      const body = {
        username: 'iyonewbie',
        firstname: 'New',
        lastname: 'Bie',
        publicKeys: ['1GVS7544tvWM2TM13vNH8sboamJzL6mJ36'],
        emailaddresses: [
          { label: 'work', emailaddress: 'newbie@company.example' },
          { label: 'home', emailaddress: 'newbie@home.example' },
        ],
        digitalwallet: [{ label: 'bibcoin', address: 'fdfgfgergerger', expire: '2030-10-20T16:41:41.090Z', currencysymbol: 'bb' }],
        phonenumbers: [{ label: 'be', phonenumber: '+3212341234' }],
        addresses: [{ label: 'home', city: 'Springfield', street: 'Main street', nr: '45B', country: 'Tomorrowland', postalcode: 'T-9450' }],
        bankaccounts: [{ label: 'kbc', iban: 'TL123451234512345', bic: 'ABCDEFGH', country: 'Tomorrowland' }],
      };
      expect((await call('POST', '/users', tok.alice, body)).status).toBe(403);
      const r = await call('POST', '/users', tok.admin, body);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        username: 'iyonewbie',
        firstname: 'New',
        lastname: 'Bie',
        publicKeys: ['1GVS7544tvWM2TM13vNH8sboamJzL6mJ36'],
        emailaddresses: body.emailaddresses,
        phonenumbers: body.phonenumbers,
        addresses: body.addresses,
        bankaccounts: body.bankaccounts,
        digitalwallet: [{ label: 'bibcoin', address: 'fdfgfgergerger', currencysymbol: 'bb', expire: '2030-10-20T16:41:41.090Z', noexpiration: false }],
      });
      expect(await lastOutbox(t, 'newbie@company.example', 'email_validation')).toBeDefined();
      expect((await call('POST', '/users', tok.admin, body)).status).toBe(409);
      // An email another account holds: nothing of the new user stays.
      const clash = await call('POST', '/users', tok.admin, { ...body, username: 'iyoclash', emailaddresses: [{ label: 'x1', emailaddress: 'iyoalice@example.com' }] });
      expect(clash.status).toBe(409);
      expect((await call('GET', '/users/iyoclash', tok.admin)).status).toBe(404);
      // One transaction: not even its event-log rows (a user made and deleted again) remain.
      const traces = rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from event_logs where data::text like '%iyoclash%'`));
      expect(traces[0]!.n).toBe(0);
      const twice = await call('POST', '/users', tok.admin, { username: 'iyotwice', firstname: 'a', lastname: 'b', addresses: [body.addresses[0], body.addresses[0]] });
      expect(twice.status).toBe(409);
      expect((await call('GET', '/users/iyotwice', tok.admin)).status).toBe(404);
    });

    it('DELETE …/github and …/facebook: 204 and the link is gone; another user 403', async () => {
      const id = (await t.gql('{ user(username: "iyoalice") { id } }', {}, { token: tok.admin })).body.data.user.id;
      const link = await t.gql(`mutation($id: ID!) { updateUser(input: { id: $id, identity: { provider: "github", externalUid: "4242" } }) { userErrors { code } } }`, { id }, { token: tok.admin });
      expect(link.body.data.updateUser.userErrors).toEqual([]);
      expect((await call('GET', '/users/iyoalice', tok.alice)).body.github).toEqual({ id: '4242' });
      expect((await call('DELETE', '/users/iyoalice/github', tok.bob)).status).toBe(403);
      expect((await call('GET', '/users/iyoalice', tok.alice)).body.github).toEqual({ id: '4242' });
      expect((await call('DELETE', '/users/iyoalice/github', tok.alice)).status).toBe(204);
      expect((await call('GET', '/users/iyoalice', tok.alice)).body.github).toEqual({});
      expect((await call('DELETE', '/users/iyoalice/facebook', tok.alice)).status).toBe(204);
      expect((await call('DELETE', '/users/iyoalice/facebook', tok.bob)).status).toBe(403);
      expect(await eventsOf(t, 'identity.unlink')).toHaveLength(1);
    });
  });

  describe('labelled collections', () => {
    const cases = [
      {
        path: 'addresses',
        body: { label: 'home', city: 'Springfield', street: 'Main street', nr: '45B', country: 'Tomorrowland', postalcode: 'T-9450' },
        change: { label: 'work', city: 'Capital City', street: 'Capital street', nr: '1', country: 'Tomorrowland', postalcode: 'T-1000', other: 'box 2' },
        putStatus: 200,
      },
      { path: 'banks', body: { label: 'kbc', iban: 'TL123451234512345', bic: 'ABCDEFGH', country: 'Tomorrowland' }, change: { label: 'kbc two', iban: 'TL99', bic: 'XYZ', country: 'Elsewhere' }, putStatus: 200 },
      {
        path: 'digitalwallet',
        body: { label: 'bibcoin', address: 'fdfgfgergerger', expire: '2030-10-20T16:41:41.090Z', currencysymbol: 'bb' },
        change: { label: 'bibcoin-2', address: 'abc', currencysymbol: 'BTC', noexpiration: true },
        putStatus: 200,
      },
      { path: 'publickeys', body: { label: 'laptop', publickey: '1GVS7544tvWM2TM13vNH8sboamJzL6mJ36' }, change: { label: 'desk', publickey: 'ANOTHERKEY' }, putStatus: 201 },
    ];

    for (const c of cases) {
      it(`${c.path}: add 201, list, get, rename 409 on a used label, update, delete 204, 404 after; others kept out`, async () => {
        const base = `/users/iyoalice/${c.path}`;
        const added = await call('POST', base, tok.alice, c.body);
        expect(added.status).toBe(201);
        expect(added.body).toMatchObject(c.path === 'digitalwallet' ? { label: 'bibcoin', address: 'fdfgfgergerger', currencysymbol: 'bb', expire: '2030-10-20T16:41:41.090Z' } : c.body);
        expect((await call('POST', base, tok.alice, c.body)).status).toBe(409);
        const list = await call('GET', base, tok.alice);
        expect(list.status).toBe(200);
        expect(list.body).toHaveLength(1);
        expect((await call('GET', `${base}/${encodeURIComponent(c.body.label)}`, tok.alice)).body).toEqual(added.body);
        // A second entry, then renaming the first onto its label: 409.
        await call('POST', base, tok.alice, { ...c.body, label: 'second' });
        expect((await call('PUT', `${base}/${c.body.label}`, tok.alice, { ...c.body, label: 'second' })).status).toBe(409);
        // Another user reads nothing and changes nothing.
        expect((await call('GET', base, tok.bob)).status).toBe(403);
        expect((await call('GET', `${base}/${c.body.label}`, tok.bob)).status).toBe(403);
        expect((await call('POST', base, tok.bob, { ...c.body, label: 'intruder' })).status).toBe(403);
        expect((await call('PUT', `${base}/${c.body.label}`, tok.bob, c.change)).status).toBe(403);
        expect((await call('DELETE', `${base}/${c.body.label}`, tok.bob)).status).toBe(403);
        expect((await call('GET', base, tok.alice)).body.map((e: { label: string }) => e.label)).toEqual([c.body.label, 'second']);

        const put = await call('PUT', `${base}/${c.body.label}`, tok.alice, c.change);
        expect(put.status).toBe(c.putStatus);
        expect(put.body.label).toBe(c.change.label);
        expect((await call('GET', `${base}/${c.body.label}`, tok.alice)).status).toBe(404);
        expect((await call('DELETE', `${base}/${encodeURIComponent(c.change.label)}`, tok.alice)).status).toBe(204);
        expect((await call('DELETE', `${base}/second`, tok.admin)).status).toBe(204);
        expect((await call('GET', base, tok.alice)).body).toEqual([]);
        expect((await call('PUT', `${base}/nothere`, tok.alice, c.change)).status).toBe(404);
        expect((await call('DELETE', `${base}/nothere`, tok.alice)).status).toBe(404);
      });
    }

    it('emailaddresses: add with a code through the outbox, validate, ?validated=true, 412 on a validated change, the last one stays (409)', async () => {
      const added = await call('POST', '/users/iyobob/emailaddresses?lang=en', tok.bob, { label: 'work', emailaddress: 'bob@work.example' });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({ label: 'work', emailaddress: 'bob@work.example' });
      expect((await call('POST', '/users/iyobob/emailaddresses', tok.bob, { label: 'work', emailaddress: 'bob2@work.example' })).status).toBe(409);
      const first = await lastOutbox(t, 'bob@work.example', 'email_validation');
      expect(first).toBeDefined();
      expect((await call('POST', '/users/iyobob/emailaddresses/work/validate?lang=en', tok.bob)).status).toBe(204);
      const again = await lastOutbox(t, 'bob@work.example', 'email_validation');
      expect(again!.id).not.toBe(first!.id);
      expect((await call('POST', '/users/iyobob/emailaddresses/work/validate', tok.alice)).status).toBe(403);
      // Validate with the code (the graph's validateEmail), then list only validated ones.
      const gid = (await t.gql(`{ user(username: "iyobob") { emails { id label } } }`, {}, { token: tok.bob })).body.data.user.emails.find((e: { label: string }) => e.label === 'work').id;
      const v = await t.gql(`mutation($id: ID!, $code: String) { validateEmail(input: { id: $id, code: $code }) { userErrors { code } } }`, { id: gid, code: String(again!.payload.code) }, { token: tok.bob });
      expect(v.body.data.validateEmail.userErrors).toEqual([]);
      expect((await call('GET', '/users/iyobob/emailaddresses?validated=true', tok.bob)).body).toEqual([{ label: 'work', emailaddress: 'bob@work.example' }]);
      expect((await call('GET', '/users/iyobob/emailaddresses', tok.bob)).body).toHaveLength(2);
      // A validated address may be renamed, not changed.
      expect((await call('PUT', '/users/iyobob/emailaddresses/work', tok.bob, { label: 'office', emailaddress: 'bob@elsewhere.example' })).status).toBe(412);
      const renamed = await call('PUT', '/users/iyobob/emailaddresses/work', tok.bob, { label: 'office', emailaddress: 'bob@work.example' });
      expect(renamed.status).toBe(201);
      expect(renamed.body).toEqual({ label: 'office', emailaddress: 'bob@work.example' });
      // Label the seeded address, delete it, and the last one stays.
      const unlabelled = (await t.gql(`{ user(username: "iyobob") { emails { label value } } }`, {}, { token: tok.bob })).body.data.user.emails.find((e: { label: string | null }) => e.label === null);
      expect(unlabelled.value).toBe('iyobob@example.com');
      expect((await call('PUT', '/users/iyobob/emailaddresses/office', tok.alice, { label: 'x1', emailaddress: 'bob@work.example' })).status).toBe(403);
      expect((await call('DELETE', '/users/iyobob/emailaddresses/office', tok.alice)).status).toBe(403);
      expect((await call('DELETE', '/users/iyobob/emailaddresses/office', tok.bob)).status).toBe(204);
      const rest = (await call('GET', '/users/iyobob/emailaddresses', tok.bob)).body;
      expect(rest).toHaveLength(1);
      await call('POST', '/users/iyobob/emailaddresses', tok.bob, { label: 'home', emailaddress: 'bob@home.example' });
      expect((await call('DELETE', '/users/iyobob/emailaddresses/home', tok.bob)).status).toBe(204);
      // A user whose only address is labelled: that last one stays.
      const carol = await seed(t).user('iyocarol', { email: null });
      const carolToken = await seed(t).tokenFor(carol);
      expect((await call('POST', '/users/iyocarol/emailaddresses', carolToken, { label: 'only', emailaddress: 'carol@only.example' })).status).toBe(201);
      const last = await call('DELETE', '/users/iyocarol/emailaddresses/only', carolToken);
      expect(last.status).toBe(409);
      expect(last.body).toEqual({ error: expect.any(String) });
      expect(await eventsOf(t, 'contact.update')).not.toHaveLength(0);
    });

    it('phonenumbers: add, validate → {validationkey}, SMS code from the outbox, PUT validate 204; wrong code or key 422; the last validated stays', async () => {
      const added = await call('POST', '/users/iyoalice/phonenumbers', tok.alice, { label: 'mobile', phonenumber: '+32475123456' });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({ label: 'mobile', phonenumber: '+32475123456' });
      expect((await call('GET', '/users/iyoalice/phonenumbers/mobile', tok.alice)).body).toEqual(added.body);
      const sent = await call('POST', '/users/iyoalice/phonenumbers/mobile/validate', tok.alice);
      expect(sent.status).toBe(200);
      const key = sent.body.validationkey;
      expect(key).toEqual(expect.any(String));
      const sms = await lastOutbox(t, '+32475123456', 'phone_validation');
      const code = String(sms!.payload.code);
      const wrongCode = code === '000000' ? '111111' : '000000';
      const wrong = await call('PUT', '/users/iyoalice/phonenumbers/mobile/validate', tok.alice, { smscode: wrongCode, validationkey: key });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual({ error: expect.any(String) });
      expect((await call('PUT', '/users/iyoalice/phonenumbers/mobile/validate', tok.alice, { smscode: code, validationkey: 'not-a-key' })).status).toBe(422);
      // Bob holding alice's key and code changes nothing.
      expect((await call('PUT', '/users/iyoalice/phonenumbers/mobile/validate', tok.bob, { smscode: code, validationkey: key })).status).toBe(422);
      expect((await call('GET', '/users/iyoalice/phonenumbers?validated=true', tok.alice)).body).toEqual([]);
      expect((await call('PUT', '/users/iyoalice/phonenumbers/mobile/validate', tok.alice, { smscode: code, validationkey: key })).status).toBe(204);
      expect((await call('GET', '/users/iyoalice/phonenumbers?validated=true', tok.alice)).body).toEqual([added.body]);
      expect((await call('DELETE', '/users/iyoalice/phonenumbers/mobile', tok.alice)).status).toBe(409);
      expect((await call('DELETE', '/users/iyoalice/phonenumbers/mobile?force=true', tok.alice)).status).toBe(409);
      await call('POST', '/users/iyoalice/phonenumbers', tok.alice, { label: 'spare', phonenumber: '+32475000000' });
      expect((await call('DELETE', '/users/iyoalice/phonenumbers/spare', tok.alice)).status).toBe(204);
      expect((await call('POST', '/users/iyoalice/phonenumbers/mobile/validate', tok.bob)).status).toBe(403);
      expect((await call('GET', '/users/iyoalice/phonenumbers', tok.bob)).status).toBe(403);
    });
  });

  it('refuses bad input on every route with a 4xx {error}, never a 5xx', async () => {
    const big = 'x'.repeat(70_000);
    const addr = { label: 'home', city: 'C', street: 'S', nr: '1', country: 'X', postalcode: 'P' };
    const cases: [string, string, string | undefined, unknown?, Record<string, string>?][] = [
      ['GET', '/users/%00', tok.alice],
      ['POST', '/users', tok.admin, { username: 'Upper', firstname: 'a', lastname: 'b' }],
      ['POST', '/users', tok.admin, { username: 'okname', firstname: 7, lastname: 'b' }],
      ['POST', '/users', tok.admin, { username: 'okname', firstname: 'a', lastname: 'b', emailaddresses: [{ label: 'x', emailaddress: 'a@b.c' }] }],
      ['POST', '/users', tok.admin, { username: 'okname', firstname: 'a\u0000', lastname: 'b' }],
      ['POST', '/users', tok.alice, { username: 'okname', firstname: 'a', lastname: 'b' }],
      ['DELETE', '/users/%00/github', tok.alice],
      ['DELETE', '/users/iyoalice/github', undefined],
      ['DELETE', '/users/iyoalice/facebook', tok.bob],
      ['DELETE', `/users/${'f'.repeat(300)}/facebook`, tok.alice],
      ['GET', `/users/${big.slice(0, 300)}`, tok.alice],
      ['GET', '/users/iyoalice/info', 'igw_not-a-real-token'],
      ['PUT', '/users/iyoalice/name', tok.alice, { firstname: 42, lastname: 'x' }],
      ['PUT', '/users/iyoalice/name', tok.alice, { firstname: 'a\u0000b', lastname: 'x' }],
      ['PUT', '/users/iyoalice/password', tok.alice, { currentpassword: ['x'], newpassword: 'y' }],
      ['PUT', '/users/iyoalice/password', tok.alice, '{"currentpassword": '],
      ...(['emailaddresses', 'phonenumbers', 'publickeys', 'addresses', 'banks', 'digitalwallet'] as const).flatMap((p): [string, string, string | undefined, unknown?][] => [
        ['GET', `/users/iyoalice/${p}`, undefined],
        ['POST', `/users/iyoalice/${p}`, tok.alice, { label: 42 }],
        ['POST', `/users/iyoalice/${p}`, tok.alice, { ...addr, label: 'x' }],
        ['POST', `/users/iyoalice/${p}`, tok.alice, { ...addr, label: 'bad\u0000label' }],
        ['POST', `/users/iyoalice/${p}`, tok.alice, { ...addr, label: 'lone\ud800' }],
        ['PUT', `/users/iyoalice/${p}/home`, tok.alice, { ...addr, label: 'l'.repeat(51) }],
        ['PUT', `/users/iyoalice/${p}/%00`, tok.alice, addr],
        ['DELETE', `/users/iyoalice/${p}/${'y'.repeat(60)}`, tok.alice],
        ['PUT', `/users/iyoalice/${p}/..%2F..%2Fetc`, tok.alice, addr],
      ]),
      ['POST', '/users/iyoalice/emailaddresses', tok.alice, { label: 'ok', emailaddress: 12345 }],
      ['POST', '/users/iyoalice/emailaddresses', tok.alice, { label: 'ok', emailaddress: `${big}@example.com` }],
      ['POST', '/users/iyoalice/phonenumbers', tok.alice, { label: 'ok', phonenumber: 32475123456 }],
      ['POST', '/users/iyoalice/phonenumbers', tok.alice, { label: 'ok', phonenumber: '+1'.padEnd(60, '9') }],
      ['POST', '/users/iyoalice/addresses', tok.alice, { ...addr, city: 'c'.repeat(31) }],
      ['POST', '/users/iyoalice/banks', tok.alice, { label: 'ok', iban: 1e308, bic: 'b', country: 'c' }],
      ['POST', '/users/iyoalice/digitalwallet', tok.alice, { label: 'ok', address: 'a', currencysymbol: 'b', expire: 'tomorrow' }],
      ['POST', '/users/iyoalice/digitalwallet', tok.alice, { label: 'ok', address: 'a', currencysymbol: 'b' }],
      ['POST', '/users/iyoalice/publickeys', tok.alice, { label: 'ok', publickey: big }],
      ...(['phonenumbers', 'publickeys', 'addresses', 'banks', 'digitalwallet'] as const).map((p): [string, string, string | undefined] => ['GET', `/users/iyoalice/${p}/a`, tok.alice]),
      ['POST', '/users/iyoalice/emailaddresses/%00/validate', tok.alice],
      ['POST', '/users/iyoalice/phonenumbers/nothere/validate', tok.alice],
      ['PUT', '/users/iyoalice/phonenumbers/mobile/validate', tok.alice, { smscode: 123456, validationkey: 'k' }],
      ['PUT', '/users/iyoalice/phonenumbers/mobile/validate', tok.alice, { smscode: '1', validationkey: 'k'.repeat(200) }],
      ['GET', '/users/iyoalice', tok.alice, undefined, { authorization: `bearer ${tok.alice}` }],
    ];
    // The last case: header and query both.
    cases[cases.length - 1]![1] = `/users/iyoalice?access_token=${tok.alice}`;
    for (const [method, url, token, body, headers] of cases) {
      const r = await call(method, url, token, body, headers);
      const label = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
      expect(JSON.stringify(r.body), label).not.toMatch(/stack|sql|select /i);
    }
    expect(uncoveredRoutes([...userRoutes, ...labelledRoutes, ...socialRoutes.filter((r) => r.method === 'DELETE')], cases)).toEqual([]);
    // Nothing of it was written.
    expect((await call('GET', '/users/iyoalice/addresses', tok.alice)).body).toEqual([]);
    expect((await call('GET', '/users/iyoalice/banks', tok.alice)).body).toEqual([]);
  });
});
