// Contracts of an Itsyouonline user on the REST engine: the id computed as documented (checked
// here against an independent computation: node's SHA-256 and RIPEMD-160, a plain base58check),
// listing by party (expired ones on request, pages by start/max), 413 for oversized content,
// other users kept out.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractRoutes } from '../src/rest/iyo/contracts.routes.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { uncoveredRoutes } from './helpers/routes.js';
import { seed } from './helpers/seed.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58check(payload: Buffer): string {
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  const bytes = Buffer.concat([payload, checksum]);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}
const expectedId = (json: string) => base58check(Buffer.concat([Buffer.from([0]), createHash('ripemd160').update(createHash('sha256').update(json, 'utf8').digest()).digest()]));

describe.each(DRIVERS)('iyo dialect: contracts on %s', (driver) => {
  let t: TestGateway;
  let tok: Record<string, string>;
  beforeAll(async () => {
    t = await startTestGateway(driver);
    const s = seed(t);
    tok = { alice: await s.tokenFor(await s.user('conalice')), bob: await s.tokenFor(await s.user('conbob')), admin: ADMIN.token };
  });
  afterAll(() => t.close());

  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const res = await t.gw.app.inject({
      method: method as 'GET',
      url: `/api${url}`,
      headers: { ...(token ? { authorization: `bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  const contract = {
    parties: [
      { type: 'user', name: 'conalice' },
      { type: 'user', name: 'conbob' },
    ],
    content: 'Alice sells Bob one “bicycle” for 100 €.\nSigned.',
    contractType: 'sale',
    invalidates: [],
    extends: [],
    expires: '2099-01-01T00:00:00.000Z',
  };

  it('computes the documented id, lists by party, refuses a wrong id and a copy', async () => {
    const r = await call('POST', '/users/conalice/contracts', tok.alice, { ...contract, signatures: [{ signedBy: 'conalice', date: '2026-01-01T00:00:00.000Z', publicKey: 'pk', signature: 'sig' }] });
    expect(r.status).toBe(201);
    const json = JSON.stringify({ parties: contract.parties, content: contract.content, contractType: 'sale', invalidates: [], extends: [], expires: contract.expires });
    expect(r.body.contractId).toBe(expectedId(json));
    expect(r.body).toMatchObject({ ...contract, signatures: [{ signedBy: 'conalice', publicKey: 'pk', signature: 'sig' }] });
    // The same contract again (signatures do not count): 409; a wrong id: 400; the right one: accepted as given.
    expect((await call('POST', '/users/conalice/contracts', tok.alice, contract)).status).toBe(409);
    expect((await call('POST', '/users/conalice/contracts', tok.alice, { ...contract, content: 'other', contractId: r.body.contractId })).status).toBe(400);
    const other = { ...contract, content: 'other', expires: '2099-06-01T00:00:00Z' };
    const withId = await call('POST', '/users/conalice/contracts', tok.alice, {
      ...other,
      contractId: expectedId(JSON.stringify({ ...other, expires: '2099-06-01T00:00:00.000Z' })),
    });
    expect(withId.status).toBe(201);
    // Both parties see them, newest first; start/max page.
    const list = await call('GET', '/users/conbob/contracts', tok.bob);
    expect(list.status).toBe(200);
    expect(list.body.map((c: { contractId: string }) => c.contractId)).toEqual([withId.body.contractId, r.body.contractId]);
    expect((await call('GET', '/users/conalice/contracts?start=1&max=1', tok.alice)).body.map((c: { contractId: string }) => c.contractId)).toEqual([r.body.contractId]);
  });

  it('hides expired contracts unless asked; 413 for oversized content; others kept out', async () => {
    const expired = await call('POST', '/users/conalice/contracts', tok.alice, { ...contract, content: 'old', expires: '2001-01-01T00:00:00Z' });
    expect(expired.status).toBe(201);
    expect((await call('GET', '/users/conalice/contracts', tok.alice)).body.map((c: { content: string }) => c.content)).not.toContain('old');
    expect((await call('GET', '/users/conalice/contracts?includeExpired=true', tok.alice)).body.map((c: { content: string }) => c.content)).toContain('old');
    const big = await call('POST', '/users/conalice/contracts', tok.alice, { ...contract, content: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ error: expect.any(String) });
    expect((await call('GET', '/users/conalice/contracts', tok.bob)).status).toBe(403);
    expect((await call('POST', '/users/conalice/contracts', tok.bob, { ...contract, content: 'forged' })).status).toBe(403);
    // Not a party: refused.
    expect((await call('POST', '/users/conbob/contracts', tok.bob, { ...contract, parties: [{ type: 'user', name: 'conalice' }], content: 'not mine' })).status).toBe(400);
    expect((await call('GET', '/users/conalice/contracts', tok.admin)).status).toBe(200);
  });

  it('refuses bad input on every route with a 4xx {error}', async () => {
    const cases: [string, string, string | undefined, unknown?][] = [
      ['GET', '/users/conalice/contracts', undefined],
      ['GET', '/users/conalice/contracts?max=1000', tok.alice],
      ['GET', '/users/conalice/contracts?start=-1', tok.alice],
      ['POST', '/users/conalice/contracts', tok.alice, { ...contract, expires: 'soon' }],
      ['POST', '/users/conalice/contracts', tok.alice, { ...contract, parties: 'conalice' }],
      ['POST', '/users/conalice/contracts', tok.alice, { ...contract, content: 42 }],
      ['POST', '/users/conalice/contracts', tok.alice, { ...contract, contractType: 't'.repeat(41) }],
      ['POST', '/users/conalice/contracts', tok.alice, { ...contract, content: 'nul\u0000' }],
      ['POST', '/users/%00/contracts', tok.alice, contract],
    ];
    for (const [method, url, token, body] of cases) {
      const r = await call(method, url, token, body);
      const label = `${method} ${url} ${JSON.stringify(body)?.slice(0, 80)}`;
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toHaveProperty('error');
    }
    expect(uncoveredRoutes(contractRoutes, cases)).toEqual([]);
  });
});
