// The Itsyouonline demo data (src/tools/seed-iyo.ts) goes in through the real mutations with
// the demo seed, and running it again adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIyo } from '../src/tools/seed-iyo.js';
import { demoPassword, seedDemo, seedIyoDemo } from '../src/tools/seed.js';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe.each(DRIVERS)('itsyouonline demo seed on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver);
  });
  afterAll(() => t.close());

  it('gives alice her collections, a grant and a contract, once', async () => {
    expect(await seedDemo(t.db.db, t.config, () => {})).toBe(true);
    await seedIyoDemo(t.db.db, t.config, () => {});
    const token = await t.login('alice', demoPassword('alice'));
    const r = await t.gql(`{ user(username: "alice") { addresses { label } registry { key } authorizations { grantedTo } contracts { contractType parties { name } } emails { label } } }`, {}, { token });
    expect(r.body.data.user).toMatchObject({
      addresses: [{ label: 'home' }],
      registry: [{ key: 'theme' }],
      authorizations: [{ grantedTo: 'globex' }],
      contracts: [{ contractType: 'demo', parties: [{ name: 'alice' }, { name: 'bob' }] }],
    });
    // Again, as the seed's runner would: nothing new.
    const logs: string[] = [];
    const run = async (query: string, variables: Record<string, unknown> = {}) => (await t.gql(query, variables, { token })).body.data;
    await seedIyo(run as never, (s) => logs.push(s));
    expect(logs).toEqual([expect.stringContaining(': 0 new entries')]);
  });
});
