// /docs in a real browser with the network cut off: Swagger UI renders from this server alone,
// lists every mounted dialect, shows each dialect's own credential schemes, and breaks no rule
// of its Content-Security-Policy. Skips (saying why) where no Chromium is installed. The
// documents' security schemes and the page's headers are also checked without a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CSP } from '../src/docs.js';
import { hasChromium, offlinePage } from './helpers/browser.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const hasBrowser = hasChromium('docs.browser');

describe('/docs and the dialects\' credential schemes', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // accounts turned off: the page lists mounted dialects only.
    t = await startTestGateway('pglite', { env: { REST_MOUNTS: 'accounts=off' } });
  });
  afterAll(() => t.close());

  it('serves the page with a CSP of self, its assets from node_modules, and only mounted dialects', async () => {
    const page = await t.gw.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(DOCS_CSP);
    expect(page.body).not.toMatch(/https?:\/\//);
    const init = (await t.gw.app.inject({ method: 'GET', url: '/docs/init.js' })).body;
    for (const d of ['oisp', 'gitlab', 'gitlab-v3']) expect(init).toContain(`/openapi/${d}.json`);
    expect(init).not.toContain('accounts');
    const bundle = await t.gw.app.inject({ method: 'GET', url: '/docs/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect((await t.gw.app.inject({ method: 'GET', url: '/docs/..%2fpackage.json' })).statusCode).toBe(404);
  });

  it('declares each dialect\'s own credentials in its OpenAPI document', async () => {
    const schemes = async (d: string) => (await t.gw.app.inject({ method: 'GET', url: `/openapi/${d}.json` })).json();
    const gitlab = await schemes('gitlab');
    expect(gitlab.components.securitySchemes).toMatchObject({
      privateToken: { type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN' },
      privateTokenQuery: { type: 'apiKey', in: 'query', name: 'private_token' },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    // Alternatives: any one of them is enough.
    expect(gitlab.security).toEqual([{ privateToken: [] }, { privateTokenQuery: [] }, { bearer: [] }]);
    expect((await schemes('gitlab-v3')).components.securitySchemes.privateToken.name).toBe('PRIVATE-TOKEN');
    expect((await schemes('oisp')).components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
  });

  it('declares DRF Token authentication for accounts', async () => {
    const other = await startTestGateway('pglite');
    try {
      const doc = (await other.gw.app.inject({ method: 'GET', url: '/openapi/accounts.json' })).json();
      expect(doc.components.securitySchemes).toMatchObject({ token: { type: 'apiKey', in: 'header', name: 'Authorization' }, bearer: { type: 'http', scheme: 'bearer' } });
    } finally {
      await other.close();
    }
  });

  it.skipIf(!hasBrowser)('renders in Chromium offline, lists the dialects and shows their schemes', { timeout: 90_000 }, async () => {
    const base = await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
    const { browser, page, external, pageErrors: errors } = await offlinePage(base);
    try {
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${base}/docs`);
      // The first dialect's operations render.
      await page.waitForSelector('.opblock', { timeout: 60_000 });
      const options = await page.$$eval('.topbar select option', (os) => os.map((o) => o.textContent));
      expect(options).toEqual(['oisp', 'gitlab', 'gitlab-v3', 'seald', 'iyo']);
      // Switch to GitLab and open the credentials dialog: its three schemes are offered.
      await page.selectOption('.topbar select', { label: 'gitlab' });
      await page.waitForFunction(() => document.querySelector('.info .title')?.textContent?.includes('GitLab'), null, { timeout: 30_000 });
      await page.click('.auth-wrapper .authorize');
      await page.waitForSelector('.auth-container', { timeout: 10_000 });
      const dialog = await page.textContent('.dialog-ux');
      for (const s of ['privateToken', 'PRIVATE-TOKEN', 'privateTokenQuery', 'private_token', 'bearer']) expect(dialog).toContain(s);
      if (process.env.DOCS_SCREENSHOT) await page.screenshot({ path: process.env.DOCS_SCREENSHOT });
      expect(external).toEqual([]);
      expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
