import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli/run.js';
import { launch, openReport, type Opened } from './browser.js';
import { oneZoneManifest, spreadWeb } from './simulate-fixtures.js';

/**
 * The html reports as a person sees them: in a real headless Chromium (Debian's package; .ci/run
 * installs it), opened from a file:// URL as a downloaded CI artifact would be.
 */
const SCREENSHOT = '/tmp/kubeha-html.png';
/** The simulate report of oneZoneManifest, at 1280×1600, to look at. */
const MAP_SCREENSHOT = '/tmp/kubeha-simulate-map.png';

const HOSTILE_NAME = '<script>window.__pwned=1</script>';
const hostileManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: '${HOSTILE_NAME}'
  namespace: '<img src=x onerror="window.__pwned=2">'
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`;

let browser: Browser | undefined;
/** Why there is no browser: every test then fails with it (a skip would let CI pass unrendered). */
let missing: string | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeha-html-browser-'));
  const launched = await launch();
  if ('browser' in launched) browser = launched.browser;
  else missing = launched.missing;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function open(name: string, html: string): Promise<Opened> {
  if (!browser) throw new Error(missing);
  return openReport(browser, dir, name, html);
}

async function cli(args: string[]): Promise<string> {
  const r = await run(args);
  expect(r.stderr).toBe('');
  return r.stdout;
}

describe('html reports in Chromium', () => {
  it('check examples/bad-app: heading, a visible row per JSON finding, rule links, a working filter', async () => {
    const json = JSON.parse(await cli(['check', 'examples/bad-app', '-o', 'json'])) as {
      findings: { rule: string; severity: string }[];
    };
    const { page, errors, fetched } = await open(
      'check.html',
      await cli(['check', 'examples/bad-app', '-o', 'html']),
    );
    await expect(page.title()).resolves.toMatch(/^kubeha check: \d+ problems$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('kubeha check');
    const rows = page.locator('tr.finding');
    expect(await rows.count()).toBe(json.findings.length);
    expect(await page.locator('tr.finding:visible').count()).toBe(json.findings.length);

    // Each row's rule links to docs/rules/<that rule>.md: the JSON's findings, errors first in a file.
    const links = await page
      .locator('tr.finding td.rule a')
      .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links.map(([id]) => id).sort()).toEqual(json.findings.map((f) => f.rule).sort());
    for (const [id, href] of links) expect(href).toMatch(new RegExp(`/docs/rules/${id}\\.md$`));

    // The severity is written out, not only coloured.
    expect((await rows.first().locator('td').first().innerText()).trim()).toMatch(/(Error|Warning|Info)$/);

    // Unticking "Info" hides the info rows, with no script at all.
    const info = json.findings.filter((f) => f.severity === 'info').length;
    expect(info).toBeGreaterThan(0);
    await page.getByLabel('Info').uncheck();
    expect(await page.locator('tr.finding:visible').count()).toBe(json.findings.length - info);
    await page.getByLabel('Info').check();

    await page.screenshot({ path: SCREENSHOT });
    expect(errors).toEqual([]);
    expect(fetched).toEqual([]);
    await page.close();
  });

  it('check examples: within each file, objects with an error first, errors before warnings before info; the headline stands out above its detail', async () => {
    // Two example folders define the same objects: check says so on stderr, which is not this test's.
    const { page, errors } = await open(
      'order.html',
      (await run(['check', 'examples', '-o', 'html'])).stdout,
    );
    const RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };
    const files = await page
      .locator('section.group')
      .evaluateAll((sections) =>
        sections.map((section) =>
          [...section.querySelectorAll('tbody')].map((tbody) =>
            [...tbody.querySelectorAll('tr.finding')].map((tr) => /sev-(\w+)/.exec(tr.className)![1]!),
          ),
        ),
      );
    expect(files.length).toBeGreaterThan(1);
    let reordered = false;
    for (const objects of files) {
      const withError = objects.map((sevs) => sevs.includes('error'));
      const firstWithout = withError.indexOf(false);
      if (firstWithout !== -1) expect(withError.slice(firstWithout)).not.toContain(true);
      for (const sevs of objects) {
        const sorted = [...sevs].sort((a, b) => RANK[a]! - RANK[b]!);
        expect(sevs).toEqual(sorted);
      }
      if (objects.length > 1 && withError[0] && !withError.at(-1)) reordered = true;
    }
    expect(reordered).toBe(true);

    // single-replica's headline, bold, with its detail below it in the same cell, in normal weight.
    const cell = page.locator('td.message', { hasText: 'runs 1 replica' }).first();
    const headline = cell.locator('.headline');
    const detail = cell.locator('.detail');
    expect(await headline.isVisible()).toBe(true);
    expect(await detail.isVisible()).toBe(true);
    await expect(detail.innerText()).resolves.toContain('A crash, an eviction or a node failure');
    const weight = (l: typeof headline): Promise<number> =>
      l.evaluate((e) => Number(getComputedStyle(e).fontWeight));
    expect(await weight(headline)).toBeGreaterThanOrEqual(600);
    expect(await weight(detail)).toBeLessThan(600);
    const [h, d] = [(await headline.boundingBox())!, (await detail.boundingBox())!];
    expect(d.y).toBeGreaterThanOrEqual(h.y + h.height - 1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a manifest with markup in its names: shown as text, nothing runs, nothing is fetched', async () => {
    const input = join(dir, 'hostile.yaml');
    writeFileSync(input, hostileManifest);
    const report = (await run(['check', input, '-o', 'html'])).stdout;
    const { page, errors, fetched } = await open('hostile.html', report);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('script, img').count()).toBe(0);
    const message = page.locator('td.message', { hasText: 'runs 1 replica' });
    await expect(message.innerText()).resolves.toContain(`Deployment ${HOSTILE_NAME} runs 1 replica`);
    expect(await message.isVisible()).toBe(true);
    const objectRow = await page.locator('tr.object th').first().innerText();
    expect(objectRow).toBe(`Deployment <img src=x onerror="window.__pwned=2">/${HOSTILE_NAME}`);
    expect(errors).toEqual([]);
    expect(fetched).toEqual([]);
    await page.close();
  });

  it('simulate examples/bad-app: a verdict row per workload, the placement map per zone', async () => {
    const json = JSON.parse(await cli(['simulate', 'examples/bad-app', '-o', 'json'])) as {
      workloads: { workload: string; verdict: string; scenario: string | null }[];
      topology: { nodes: number; zones: string[] };
    };
    const { page, errors, fetched } = await open(
      'simulate.html',
      await cli(['simulate', 'examples/bad-app', '-o', 'html']),
    );
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('kubeha simulate');
    const rows = page.locator('tr.workload');
    expect(await rows.count()).toBe(json.workloads.length);
    for (const [i, w] of json.workloads.entries()) {
      const cells = await rows.nth(i).locator('th, td').allInnerTexts();
      expect(cells.slice(0, 3).map((c) => c.trim())).toEqual([
        expect.stringMatching(new RegExp(`${w.verdict}$`)),
        w.workload,
        w.scenario ?? '',
      ]);
    }
    const zones = await page.locator('section.zone h3').allInnerTexts();
    expect(zones).toEqual(json.topology.zones);
    expect(await page.locator('li.node:visible').count()).toBe(json.topology.nodes);
    expect(errors).toEqual([]);
    expect(fetched).toEqual([]);
    await page.close();
  });

  it('simulate: three namespaces with one onezone pod each on node-1 are three chips, marked as outages, on the first screen', async () => {
    const input = join(dir, 'onezone.yaml');
    writeFileSync(input, `${spreadWeb}---\n${oneZoneManifest(['team-a', 'team-b', 'team-c'])}`);
    const report = await cli(['simulate', input, '--nodes', '3', '--zones', '3', '-o', 'html']);
    const { page, errors, fetched } = await open('onezone.html', report);
    await page.setViewportSize({ width: 1280, height: 1600 });

    const node1 = page.locator('li.node', { has: page.locator('.node-head code', { hasText: /^node-1$/ }) });
    const onezone = node1.locator('li.chip', { hasText: '/onezone' });
    expect(await onezone.count()).toBe(3);
    const chips = await onezone.evaluateAll((lis) =>
      lis.map((li) => ({
        title: li.getAttribute('title'),
        text: li.textContent,
        mark: li.querySelector('.mark')?.textContent,
        background: getComputedStyle(li).backgroundColor,
      })),
    );
    expect(chips.map((c) => [c.title, c.text, c.mark])).toEqual(
      ['team-a', 'team-b', 'team-c'].map((ns) => [
        `${ns}/Deployment/onezone — outage in node-loss:node-1`,
        `✖outage: ${ns}/onezone`,
        '✖',
      ]),
    );
    for (const c of await onezone.all()) expect(await c.isVisible()).toBe(true);

    // The healthy workload's chip: no mark, another colour.
    const web = node1.locator('li.chip', { hasText: 'shop/web' });
    expect(await web.getAttribute('title')).toBe('shop/Deployment/web');
    expect(await web.locator('.mark').count()).toBe(0);
    const webBackground = await web.evaluate((li) => getComputedStyle(li).backgroundColor);
    expect(chips.every((c) => c.background !== webBackground)).toBe(true);

    // The legend names each mark in words.
    const legend = await page.locator('.legend li').allInnerTexts();
    expect(legend.map((t) => t.trim())).toEqual(['✖outage', '■stuck', '▲degraded', 'ok (unmarked)']);

    // At 1280×1600 the whole map (and the link to it) is on the first screen, above the verdicts.
    const inFirstScreen = async (selector: string): Promise<boolean> => {
      const box = await page.locator(selector).first().boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 1600;
    };
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await inFirstScreen('a[href="#placement"]')).toBe(true);
    expect(await inFirstScreen('#placement')).toBe(true);
    expect(await inFirstScreen('.zones')).toBe(true);
    const mapBottom = (await page.locator('.zones').boundingBox())!;
    const verdicts = (await page.locator('#verdicts').boundingBox())!;
    expect(verdicts.y).toBeGreaterThan(mapBottom.y + mapBottom.height);

    await page.screenshot({ path: MAP_SCREENSHOT });
    expect(errors).toEqual([]);
    expect(fetched).toEqual([]);
    await page.close();
  });

  it('simulate: with a verdict table longer than the screen, the map still starts on the first screen', async () => {
    const namespaces = Array.from({ length: 30 }, (_, i) => `team-${String(i + 1).padStart(2, '0')}`);
    const input = join(dir, 'many.yaml');
    writeFileSync(input, oneZoneManifest(namespaces));
    const report = await cli(['simulate', input, '--nodes', '3', '--zones', '3', '-o', 'html']);
    const { page, errors } = await open('many.html', report);
    await page.setViewportSize({ width: 1280, height: 1600 });
    // The table alone is taller than the screen: the map above it is the only way it can be in view.
    const table = (await page.locator('tr.workload').last().boundingBox())!;
    expect(table.y).toBeGreaterThan(1600);
    const zones = (await page.locator('.zones').boundingBox())!;
    expect(zones.y).toBeLessThan(1600);
    expect(await page.locator('li.chip', { hasText: '/onezone' }).count()).toBe(30);
    const node1 = (await page.locator('li.node').first().boundingBox())!;
    expect(node1.y + node1.height).toBeLessThan(1600);
    expect(errors).toEqual([]);
    await page.close();
  });
});
