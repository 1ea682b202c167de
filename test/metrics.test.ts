// /metrics: Prometheus text for an instance admin or the METRICS_TOKEN bearer (401/403 for
// anyone else), counters that move with traffic on /graphql (both lanes) and a REST dialect, the
// pool gauges on PostgreSQL, the outbox backlog, Node's metrics; METRICS_PORT serves it apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample: the metric name and every given label must match. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    const labelText = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    const have = labelText ? labelText.split(/,(?=[a-z_]+=")/) : [];
    if (want.every((w) => have.includes(w))) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe.each(DRIVERS)('/metrics on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver, { env: { METRICS_TOKEN } });
  });
  afterAll(() => t.close());

  const scrape = async (token = ADMIN.token) => {
    const res = await t.gw.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.body;
  };

  it('is for instance admins and the METRICS_TOKEN bearer only', async () => {
    const anonymous = await t.gw.app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    await t.createUser({ username: 'metrics-reader', password: 'reader-password-1' });
    const user = await t.login('metrics-reader', 'reader-password-1');
    const forbidden = await t.gw.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${user}` } });
    expect(forbidden.statusCode).toBe(403);
    const wrong = await t.gw.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    const byToken = await t.gw.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(byToken.statusCode).toBe(200);
    expect(byToken.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await scrape()).toContain('# TYPE http_requests_total counter');
  });

  it('counts HTTP requests by route template, dialect and status, and GraphQL operations by name and outcome', async () => {
    const before = await scrape();
    const n = 3;
    for (let i = 0; i < n; i++) {
      const ok = await t.gql(`query MetricsProbe { viewer { username } }`, {}, { token: ADMIN.token });
      expect(ok.body.data.viewer.username).toBe('admin');
    }
    await t.gql(`query Broken { noSuchField }`);
    await t.gql(`mutation Named($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { login: 'nobody', password: 'wrong-password' } });
    const rest = await t.gw.app.inject({ method: 'GET', url: '/api/v4/users/12345678', headers: { 'private-token': ADMIN.token } });
    expect(rest.statusCode).toBe(404);
    await t.gw.app.inject({ method: 'GET', url: '/no/such/path' });
    // fastify's automatic HEAD route of a GET: counted once, as HEAD.
    await t.gw.app.inject({ method: 'HEAD', url: '/healthz' });
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    // Both lanes: the first run goes through Apollo, the next ones through the known-query lane.
    expect(delta('graphql_operations_total', { type: 'query', name: 'MetricsProbe', outcome: 'success' })).toBe(n);
    expect(delta('graphql_operation_duration_seconds_count', { type: 'query', name: 'MetricsProbe' })).toBe(n);
    expect(delta('graphql_operations_total', { type: '(invalid)', name: '', outcome: 'error' })).toBe(1);
    expect(delta('graphql_operations_total', { type: 'mutation', name: 'Named', outcome: 'success' })).toBe(1);
    expect(delta('http_requests_total', { method: 'POST', route: '/graphql', dialect: 'graphql', status: '200' })).toBe(n + 2);
    expect(delta('http_request_duration_seconds_count', { method: 'POST', route: '/graphql', dialect: 'graphql' })).toBe(n + 2);
    // The template, not the id: one series for every user id.
    expect(delta('http_requests_total', { method: 'GET', route: '/api/v4/users/:id', dialect: 'gitlab', status: '404' })).toBe(1);
    expect(delta('http_requests_total', { route: '(unmatched)', status: '404' })).toBe(1);
    expect(after).not.toContain('12345678');
    expect(delta('http_requests_total', { method: 'HEAD', route: '/healthz', status: '200' })).toBe(1);
  });

  it('reports the outbox backlog, the pool (PostgreSQL) and Node\'s process and event-loop metrics', async () => {
    const before = sample(await scrape(), 'outbox_pending_messages')!;
    expect(before).toBeGreaterThanOrEqual(0);
    const org = await t.gql(`mutation { createOrganization(input: { slug: "metrics-org", name: "M" }) { organization { id } } }`, {}, { token: ADMIN.token });
    const organizationId = org.body.data.createOrganization.organization.id;
    const invite = await t.gql(`mutation($i: InviteToOrganizationInput!) { inviteToOrganization(input: $i) { invitation { id } userErrors { message } } }`, { i: { organizationId, email: 'someone@example.com', role: 'MEMBER' } }, { token: ADMIN.token });
    expect(invite.body.data.inviteToOrganization.userErrors).toEqual([]);
    const text = await scrape();
    expect(sample(text, 'outbox_pending_messages')).toBe(before + 1);
    if (driver === 'postgres') {
      expect(sample(text, 'db_pool_max')).toBe(4);
      expect(sample(text, 'db_pool_in_use')).toBe(0);
      expect(sample(text, 'db_pool_waiting')).toBe(0);
    } else {
      expect(text).not.toContain('db_pool_max');
    }
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) expect(text).toContain(`${name} `);
  });
});

describe('METRICS_PORT', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('pglite', { env: { METRICS_PORT: '0', HOST: '127.0.0.1' } });
  });
  afterAll(() => t.close());

  it('moves /metrics to its own port, without a token, and off the main one', async () => {
    const port = t.gw.app.observability.metricsPort();
    expect(port).toBeGreaterThan(0);
    await t.gql(`query OnPort { __typename }`);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, 'graphql_operations_total', { name: 'OnPort' })).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    const main = await t.gw.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${ADMIN.token}` } });
    expect(main.statusCode).toBe(404);
  });

  it('closes with the gateway', async () => {
    const other = await startTestGateway('pglite', { env: { METRICS_PORT: '0', HOST: '127.0.0.1' } });
    const port = other.gw.app.observability.metricsPort();
    await other.close();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
