// GraphQL over HTTP: the graphql-http server audit, every MUST and SHOULD, with CSRF
// prevention on. The three MAY audits about GET queries without a preflight header are the
// ones CSRF prevention is there to refuse.
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe.each(DRIVERS)('GraphQL over HTTP audit on %s', (driver) => {
  let t: TestGateway;
  let url: string;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    url = (await t.gw.app.listen({ port: 0, host: '127.0.0.1' })) + '/graphql';
  });
  afterAll(() => t.close());

  it('passes every MUST and SHOULD of the graphql-http audit', async () => {
    const results = await auditServer({ url });
    const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    const required = results.filter((r) => r.name.startsWith('MUST') || r.name.startsWith('SHOULD'));
    expect(required.length).toBeGreaterThanOrEqual(36);
    expect(required.filter((r) => r.status !== 'ok').map((r) => r.name)).toEqual([]);
    // Only MAY audits may be refused, and only the GET ones that CSRF prevention blocks.
    expect(notOk.every((l) => l.includes(' MAY ') && /GET/.test(l))).toBe(true);
  });

  it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const plain = await fetch(`${url}?query=${encodeURIComponent('{__typename}')}`);
    expect(plain.status).toBe(400);
    const preflighted = await fetch(`${url}?query=${encodeURIComponent('{__typename}')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' }, extensions: { cost: { requestedQueryCost: 1, maximumAvailable: 50_000 } } });
  });

  it('refuses mutations over GET', async () => {
    const q = encodeURIComponent('mutation { login(input: { login: "a", password: "b" }) { accessToken } }');
    const r = await fetch(`${url}?query=${q}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(r.status).toBe(405);
  });
});
