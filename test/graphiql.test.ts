// The self-hosted GraphiQL: a browser GET /graphql gets the page; the page and every asset
// it loads come from this server, with no external URL to fetch — so it works offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

// Hosts a bundle would load code, styles or fonts from.
// (Host names, not words: the bundle's error messages mention "jsdelivr, unpkg" in prose.)
const CDN = /unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|esm\.sh\/|cdn\.skypack\.dev|cdn\.apollographql\.com/i;

describe('GraphiQL', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('pglite');
  });
  afterAll(() => t.close());

  const get = (url: string, accept = '*/*') => t.gw.app.inject({ method: 'GET', url, headers: { accept } });

  it('serves the page to browsers, with a same-origin-only CSP', async () => {
    const res = await get('/graphql', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toMatch(/https?:/);
    expect(res.body).toContain('id="graphiql"');
  });

  it('references only same-origin assets, and every one of them loads with no external URL inside', async () => {
    const page = (await get('/graphql', 'text/html')).body;
    expect(page).not.toMatch(/https?:\/\//);
    const refs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBe(5);
    for (const ref of refs) {
      expect(ref.startsWith('/') && !ref.startsWith('//'), ref).toBe(true);
      const asset = await get(ref);
      expect(asset.statusCode, ref).toBe(200);
      const body = asset.body;
      expect(body.length, ref).toBeGreaterThan(100);
      expect(body, ref).not.toMatch(CDN);
      if (ref.endsWith('.css')) {
        expect(body).not.toMatch(/@import/);
        expect(body).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
      } else {
        // No script or stylesheet injected from elsewhere, no fetch of an absolute URL.
        expect(body).not.toMatch(/\.src\s*=\s*["']https?:\/\//);
        expect(body).not.toMatch(/fetch\(\s*["']https?:\/\//);
        expect(body).not.toMatch(/import\(\s*["']https?:\/\//);
      }
    }
  });

  it('keeps API clients on GraphQL: no page for JSON requests or requests with a query', async () => {
    const json = await t.gw.app.inject({ method: 'GET', url: '/graphql?query=%7B__typename%7D', headers: { accept: 'application/json', 'apollo-require-preflight': '1' } });
    expect(json.json()).toMatchObject({ data: { __typename: 'Query' } });
    const withQuery = await t.gw.app.inject({ method: 'GET', url: '/graphql?query=%7B__typename%7D', headers: { accept: 'text/html', 'apollo-require-preflight': '1' } });
    expect(withQuery.headers['content-type']).not.toMatch(/text\/html/);
    expect((await get('/graphiql/../../package.json')).statusCode).toBe(404);
    expect((await get('/graphiql/nope.js')).statusCode).toBe(404);
  });

  it('is off with GRAPHIQL=false', async () => {
    const off = await startTestGateway('pglite', { env: { GRAPHIQL: 'false' } });
    try {
      const res = await off.gw.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
      expect(res.headers['content-type']).not.toMatch(/text\/html/);
      expect((await off.gw.app.inject({ method: 'GET', url: '/graphiql/graphiql.min.js' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
