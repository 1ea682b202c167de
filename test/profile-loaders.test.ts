// The profile module's relations of a user (labelled entries, registry, avatars, authorizations,
// contracts, see documents, keystore, info) load through per-request DataLoaders: a page of 5
// users costs the same number of statements as a page of 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed } from './helpers/seed.js';

describe.each(DRIVERS)('profile relations without N+1 on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    await s.org('nplusorg');
    const as = { token: ADMIN.token };
    for (let i = 0; i < 5; i++) {
      const username = `nplus${i}`;
      await s.user(username);
      const runs = [
        [`mutation($i: AddLabelledEntryInput!) { addLabelledEntry(input: $i) { userErrors { message } } }`, { i: { username, kind: 'ADDRESS', label: 'home', value: { address: { street: 's', nr: '1', city: 'c', postalCode: 'p', country: 'x' } } } }],
        [`mutation($i: SetRegistryEntryInput!) { setRegistryEntry(input: $i) { userErrors { message } } }`, { i: { username, key: 'k', value: 'v' } }],
        [`mutation($i: SetAvatarInput!) { setAvatar(input: $i) { userErrors { message } } }`, { i: { username, newLabel: 'pic', source: 'https://example.com/a.png' } }],
        [`mutation($i: SetAuthorizationInput!) { setAuthorization(input: $i) { userErrors { message } } }`, { i: { username, organization: 'nplusorg', name: true } }],
        [`mutation($i: CreateContractInput!) { createContract(input: $i) { userErrors { message } } }`, { i: { username, parties: [{ type: 'user', name: username }], content: `c${i}`, contractType: 't', expires: '2099-01-01T00:00:00Z' } }],
      ] as const;
      for (const [q, v] of runs) {
        const r = await t.gql(q, v as Record<string, unknown>, as);
        expect(r.body.errors).toBeUndefined();
        expect(JSON.stringify(r.body.data)).not.toContain('"message"');
      }
    }
  });
  afterAll(() => t.close());

  it('a page of 5 users costs what a page of 1 costs', async () => {
    const q = `query($n: Int!) { users(first: $n, filter: { search: "nplus" }) { nodes {
      username addresses { label } bankAccounts { label } digitalWallet { label } registry { key } avatars { label }
      authorizations { grantedTo } contracts { contractId } seeDocuments(first: 5) { nodes { uniqueId } } keystore { label }
      info { username emailAddresses { label } addresses { label } organizations }
    } } }`;
    const count = async (n: number) => {
      const before = t.db.statementCount;
      const r = await t.gql(q, { n }, { token: ADMIN.token });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.users.nodes).toHaveLength(n);
      for (const u of r.body.data.users.nodes) {
        expect(u.addresses).toEqual([{ label: 'home' }]);
        expect(u.contracts).toHaveLength(1);
        expect(u.authorizations).toEqual([{ grantedTo: 'nplusorg' }]);
      }
      return t.db.statementCount - before;
    };
    const one = await count(1);
    const five = await count(5);
    expect(five).toBe(one);
  });
});
