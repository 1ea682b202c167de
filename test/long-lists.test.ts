// Lists too long to count on every page: `totalCountUpTo` counts no further than its limit, and
// the GitLab dialect, as GitLab does past 10,000 records, then leaves out X-Total,
// X-Total-Pages and the `last` link while still paging with X-Next-Page.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gitlab } from '@gitbeaker/rest';
import { GITLAB_COUNT_LIMIT } from '../src/rest/gitlab/common.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { seed } from './helpers/seed.js';

describe.each(DRIVERS)('long lists on %s', (driver) => {
  let t: TestGateway;
  let aliceToken: string;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    aliceToken = await s.tokenFor(await s.user('ll-alice'));
    // One more than GitLab counts, in one statement.
    await t.db.db.execute(
      sql.raw(`insert into users (id, username) select gen_random_uuid(), 'll-bulk-' || lpad(i::text, 5, '0') from generate_series(1, ${GITLAB_COUNT_LIMIT + 1}) i`),
    );
  }, 60_000);
  afterAll(() => t.close());

  it('counts a connection up to a limit: the count when within it, null past it', async () => {
    const q = `query($limit: Int!, $f: UserFilter) { users(first: 1, filter: $f) { totalCount totalCountUpTo(limit: $limit) } }`;
    const run = async (limit: number, f?: Record<string, unknown>) => (await t.gql(q, { limit, f }, { token: aliceToken })).body;
    const all = (await run(5)).data.users;
    expect(all.totalCount).toBeGreaterThan(GITLAB_COUNT_LIMIT + 1);
    expect(all.totalCountUpTo).toBeNull();
    expect((await run(all.totalCount)).data.users.totalCountUpTo).toBe(all.totalCount);
    expect((await run(all.totalCount - 1)).data.users.totalCountUpTo).toBeNull();
    const alone = await run(1, { username: 'll-alice' });
    expect(alone.data.users).toEqual({ totalCount: 1, totalCountUpTo: 1 });
    expect((await run(0, { username: 'll-alice' })).data.users.totalCountUpTo).toBeNull();
    for (const bad of [-1, 100_001]) expect((await run(bad)).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('leaves out GitLab’s totals past 10,000 users, and still pages', async () => {
    const get = (url: string) => t.gw.app.inject({ method: 'GET', url: `/api/v4${url}`, headers: { authorization: `Bearer ${ADMIN.token}` } });
    const p1 = await get('/users?per_page=50');
    expect(p1.statusCode).toBe(200);
    expect(p1.json()).toHaveLength(50);
    expect(p1.headers).toMatchObject({ 'x-page': '1', 'x-per-page': '50', 'x-next-page': '2', 'x-prev-page': '' });
    expect(p1.headers).not.toHaveProperty('x-total');
    expect(p1.headers).not.toHaveProperty('x-total-pages');
    expect(p1.headers.link).toContain('rel="next"');
    expect(p1.headers.link).toContain('rel="first"');
    expect(p1.headers.link).not.toContain('rel="last"');
    // The last page: no next one.
    const total = Number((await t.gql(`{ users(first: 1) { totalCount } }`, {}, { token: ADMIN.token })).body.data.users.totalCount);
    const lastPage = Math.ceil(total / 100);
    const last = await get(`/users?per_page=100&page=${lastPage}`);
    expect(last.json()).toHaveLength(total - (lastPage - 1) * 100);
    expect(last.headers).toMatchObject({ 'x-page': String(lastPage), 'x-next-page': '', 'x-prev-page': String(lastPage - 1) });
    expect(last.headers.link).not.toContain('rel="next"');
    // A filtered list within the limit keeps every header.
    const few = await get('/users?search=ll-alice');
    expect(few.headers).toMatchObject({ 'x-total': '1', 'x-total-pages': '1' });
    expect(few.headers.link).toContain('rel="last"');
  });

  it('pages a long list with a GitLab client that follows the next links', async () => {
    const address = await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
    const api = new Gitlab({ host: address, token: ADMIN.token });
    const { data, paginationInfo } = await api.Users.all({ perPage: 100, maxPages: 3, showExpanded: true });
    expect(data).toHaveLength(300);
    expect(new Set(data.map((u) => u.id)).size).toBe(300);
    expect(paginationInfo).toMatchObject({ current: 3, next: 4 });
  });
});
