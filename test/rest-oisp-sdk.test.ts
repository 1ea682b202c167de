// The IoT platform's own client, @open-iot-service-platform/oisp-sdk-js (which no one here
// wrote), against the gateway's oisp dialect over real HTTP: its invitation calls — list,
// create, the invitee's list, accept and delete — exactly as it sends them (every request,
// bodiless DELETEs included, carries Content-type: application/json).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed } from './helpers/seed.js';

type Callback = (err: unknown, data?: unknown) => void;
interface InvitationApi {
  getAllInvitations(data: object, cb: Callback): void;
  createInvitation(data: object, cb: Callback): void;
  getInvitations(data: object, cb: Callback): void;
  deleteInvitations(data: object, cb: Callback): void;
  acceptInvitation(data: object, cb: Callback): void;
}

// The SDK is CommonJS without types: a function of its connection config.
const sdk = createRequire(import.meta.url)('@open-iot-service-platform/oisp-sdk-js') as (config: object) => { api: { rest: { invitation: InvitationApi } } };

describe.each(DRIVERS)('the IoT platform SDK on %s', (driver) => {
  let t: TestGateway;
  let api: InvitationApi;
  const tok: Record<string, string> = {};
  let account: string;
  let accountGid: string;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    const owner = await s.user('sdk-owner');
    const invitee = await s.user('sdk-invitee', { email: 'sdk-invitee@example.com' });
    const acme = await s.org('sdk-acme', { owner, name: 'SDK Acme' });
    account = acme.id;
    accountGid = s.gid('Organization', acme);
    tok.owner = await s.tokenFor(owner);
    tok.invitee = await s.tokenFor(invitee);
    await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.gw.app.server.address() as { port: number };
    // No proxy: the SDK would otherwise route through http_proxy from the environment.
    api = sdk({ connector: { rest: { host: '127.0.0.1', port, protocol: 'http', timeout: 10_000, proxy: {} } } }).api.rest.invitation;
  });
  afterAll(() => t.close());

  /** One SDK call as a promise: its callback's error (the response body) rejects. */
  const run = (fn: keyof InvitationApi, data: object) =>
    new Promise<unknown>((resolve, reject) => api[fn](data, (err, body) => (err ? reject(err) : resolve(body))));

  it('lists, creates, shows to the invitee, accepts and deletes invitations', async () => {
    expect(await run('getAllInvitations', { userToken: tok.owner, accountId: account })).toEqual([]);

    const created = (await run('createInvitation', { userToken: tok.owner, accountId: account, body: { email: 'sdk-invitee@example.com' } })) as Record<string, string>;
    expect(created).toMatchObject({ email: 'sdk-invitee@example.com', accountId: account, accountName: 'SDK Acme', domainId: account, _id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await run('createInvitation', { userToken: tok.owner, accountId: account, body: { email: 'sdk-other@example.com' } });
    expect(await run('getAllInvitations', { userToken: tok.owner, accountId: account })).toEqual(expect.arrayContaining(['sdk-invitee@example.com', 'sdk-other@example.com']));

    expect(await run('getInvitations', { userToken: tok.invitee, email: 'sdk-invitee@example.com' })).toEqual([created]);
    expect(await run('acceptInvitation', { userToken: tok.invitee, inviteId: created._id, body: { accept: true } })).toEqual(created);

    // The SDK sends DELETE with Content-type: application/json and no body: accepted, 200.
    expect(await run('deleteInvitations', { userToken: tok.owner, accountId: account, email: 'sdk-other@example.com' })).toEqual({ status: 'OK', code: 200 });
    expect(await run('getAllInvitations', { userToken: tok.owner, accountId: account })).toEqual([]);
    // The invitee is a member now: the GraphQL side agrees.
    const res = await t.gql(`query($id: ID!) { organization(id: $id) { memberships(first: 10) { nodes { user { username } } } } }`, { id: accountGid }, { token: tok.owner });
    expect(JSON.stringify(res.body.data)).toContain('sdk-invitee');
  });

  it('gets the platform’s error bodies through the SDK’s error path', async () => {
    const err = await run('acceptInvitation', { userToken: tok.owner, inviteId: 'not-a-uuid', body: { accept: true } }).catch((e: unknown) => e);
    expect(JSON.parse(err as string)).toMatchObject({ code: 400, message: expect.any(String) });
    const unauth = await run('getAllInvitations', { userToken: 'igw_not-a-real-token', accountId: account }).catch((e: unknown) => e);
    expect(JSON.parse(unauth as string)).toMatchObject({ code: 401 });
  });
});
