// Debian's headless Chromium (`apt-get install chromium`, as .ci/run does), driven by playwright-core,
// for the tests that look at the html reports as a person would.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Opened {
  page: Page;
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Requests for anything but the page itself and inline data. */
  fetched: string[];
}

/**
 * The browser, or why there is none: a test then fails with that reason (a skip would let CI pass
 * without rendering anything). The flags keep Chromium off the network this machine does not have.
 */
export async function launch(): Promise<{ browser: Browser } | { missing: string }> {
  if (!existsSync(CHROMIUM))
    return {
      missing: `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`,
    };
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return { browser };
  } catch (e) {
    return {
      missing: `${CHROMIUM} did not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    };
  }
}

/** Writes the report to `dir/name` and opens it from its file:// URL, as a downloaded CI artifact is. */
export async function openReport(browser: Browser, dir: string, name: string, html: string): Promise<Opened> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const fetched: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!/^(about:blank|data:|file:)/.test(r.url())) fetched.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, fetched };
}
