// GraphiQL in a real browser with the network cut off: it renders from this server alone and
// runs a query. Skips (saying why) where no Chromium is installed; .ci/run installs Debian's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, offlinePage } from './helpers/browser.js';
import { ADMIN, startTestGateway, type TestGateway } from './helpers/gateway.js';

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

describe.skipIf(!hasBrowser)('GraphiQL in Chromium: subscriptions', () => {
  let t: TestGateway;
  let base: string;
  beforeAll(async () => {
    t = await startTestGateway('pglite');
    base = await t.gw.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  it('runs a subscription over WebSocket with the headers typed in GraphiQL, and shows live events', { timeout: 90_000 }, async () => {
    const { browser, page, external, pageErrors: consoleErrors } = await offlinePage(base);
    try {
      const query = 'subscription { eventLogAdded(filter: { actionIn: ["organization.create"] }) { event { action data } } }';
      await page.goto(`${base}/graphql#query=${encodeURIComponent(query)}`);
      await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
      // The headers editor: inserted as text (typing would meet the editor's auto-closed brackets).
      await page.getByText('Headers', { exact: true }).click();
      await page.locator('.graphiql-editor-tool .CodeMirror').last().click();
      await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${ADMIN.token}` }));
      await page.click('.graphiql-execute-button');
      // Subscribed: an organization made over HTTP shows up in the result pane.
      for (let i = 0; i < 100; i++) {
        const r = await t.gql(`mutation { createOrganization(input: { slug: "seen-in-graphiql-${i}", name: "Seen in GraphiQL" }) { userErrors { code } } }`, {}, { token: ADMIN.token });
        expect(r.body.errors).toBeUndefined();
        const shown = await page.textContent('.result-window');
        if (shown?.includes('organization.create')) break;
        await page.waitForTimeout(300);
      }
      expect(await page.textContent('.result-window')).toContain('organization.create');
      expect(external).toEqual([]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
