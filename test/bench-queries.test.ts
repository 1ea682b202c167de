// The benchmark's three intents (test/bench/queries) stay valid against the schema and within
// their SQL statement budgets (authentication included): small 2, page 3 (organizations, then
// their memberships and groups coalesced into one), logs 4.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { seedDemo } from '../src/tools/seed.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

const query = (name: string) => readFileSync(join(projectRoot(), 'test', 'bench', 'queries', `${name}.graphql`), 'utf8');
const BUDGET = { small: 2, page: 3, logs: 4 } as const;

describe.each(DRIVERS)('benchmark queries on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    await seedDemo(t.db.db, t.config, () => {});
    await t.gql('{ viewer { id } }', {}, { token: ADMIN.token }); // the token's last-used write, once a minute
  });
  afterAll(() => t.close());

  it.each(Object.entries(BUDGET))('%s runs within %i statements', async (name, budget) => {
    const variables = name === 'page' ? {} : { username: 'alice', actions: ['message.create', 'message.read', 'organization.create'] };
    const before = t.db.statementCount;
    const r = await t.gql(query(name), name === 'small' ? { username: 'alice' } : variables, { token: ADMIN.token });
    const used = t.db.statementCount - before;
    expect(r.body.errors).toBeUndefined();
    expect(JSON.stringify(r.body.data)).not.toBe('{}');
    expect(used, t.db.recentStatements.slice(-used).join('\n')).toBeLessThanOrEqual(budget);
  });
});
