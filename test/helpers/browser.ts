// Headless Chromium for the pages the gateway serves (GraphiQL, /docs), with the network cut
// off: any request to another origin is aborted and recorded. Tests skip (saying why) where no
// Chromium is installed; .ci/run installs Debian's.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether Chromium is here; warns once, naming the test, when it is not. */
export function hasChromium(testName: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found) console.warn(`[${testName}] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return found;
}

export interface OfflinePage {
  browser: Browser;
  page: Page;
  /** URLs of other origins the page tried to load. */
  external: string[];
  /** Uncaught page errors. */
  pageErrors: string[];
}

/** A new page that may load from `base` (the gateway's origin) only. Close `browser` when done. */
export async function offlinePage(base: string): Promise<OfflinePage> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page = await browser.newPage();
  const external: string[] = [];
  const pageErrors: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === base) return route.continue();
    external.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { browser, page, external, pageErrors };
}
