// GraphiQL in a real browser with the network cut off: it renders from this server alone and
// runs a query. Skips (saying why) where no Chromium is installed; .ci/run installs Debian's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, offlinePage } from './helpers/browser.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const hasBrowser = hasChromium('graphiql.browser');

describe.skipIf(!hasBrowser)('GraphiQL in Chromium, offline', () => {
  let t: TestGateway;
  let base: string;
  beforeAll(async () => {
    t = await startTestGateway('pglite');
    base = await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  it('renders with no external request and runs a query', { timeout: 60_000 }, async () => {
    const { browser, page, external, pageErrors: consoleErrors } = await offlinePage(base);
    try {
      await page.goto(`${base}/graphql`);
      await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => document.querySelector('.result-window')?.textContent?.includes('viewer'), null, { timeout: 30_000 });
      const result = await page.textContent('.result-window');
      expect(result).toContain('"viewer": null');
      if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
      expect(external).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
