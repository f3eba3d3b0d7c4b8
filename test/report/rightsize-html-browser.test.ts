import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml } from '../../src/rightsize/html.js';
import { rightsize } from '../../src/rightsize/run.js';
import { rightsizeTargets } from '../../src/rightsize/targets.js';
import { shorthandTopology } from '../../src/simulate/index.js';
import { container, DAY, HOUR, MIB, NOW, objectsOf, usageOf, WEB } from '../rightsize/fixtures.js';
import { launch, openReport, type Opened } from './browser.js';

/**
 * The rightsize HTML report as a person sees it, in a real headless Chromium: the charts are drawn
 * where the numbers say, nothing runs or is fetched, and hostile names stay text.
 */
const SCREENSHOT = '/tmp/kubeha-rightsize.png';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

let browser: Browser | undefined;
let missing: string | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeha-rightsize-html-'));
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

/** web's app uses 0.1 core (0.4 one hour a day) and 300 MiB in each of 3 pods; today it asks 500m and 512Mi. */
function report(shortWindow = false, yaml = WEB) {
  const objects = objectsOf(yaml);
  const { targets } = rightsizeTargets(objects);
  const web = objects[0]!;
  return rightsize({
    objects,
    targets,
    usage: [
      usageOf(
        web,
        ['web-1', 'web-2', 'web-3'].flatMap((pod, p) => [
          container(
            pod,
            'app',
            (i) => (i % 24 === 12 ? 0.4 : 0.1) + p * 0.01,
            () => 300 * MIB,
          ),
          container(
            pod,
            'sidecar',
            () => 0.01,
            () => 30 * MIB,
          ),
        ]),
      ),
    ],
    source: {
      kind: shortWindow ? 'metrics-api' : 'prometheus',
      url: shortWindow ? null : 'http://127.0.0.1:9090',
      shortWindow,
      window: { start: NOW - 8 * DAY, end: NOW, step: HOUR },
    },
    limits: 'ratio',
    topology: {
      topology: shorthandTopology({ nodes: 3, zones: 3, nodeCpu: '4', nodeMemory: '8Gi', nodePods: 110 }),
      description: '--nodes 3 --zones 3',
    },
  });
}

describe('rightsize html report in Chromium', () => {
  it('draws a CPU and a memory chart per measured container, the requests where their values are', async () => {
    const { report: r, plans } = report();
    const { page, errors, fetched } = await open('rightsize.html', formatHtml(r, plans));
    expect(errors).toEqual([]);
    expect(fetched).toEqual([]);
    expect(await page.locator('svg.chart').count()).toBe(4);
    const chart = page.locator('[data-charts="app"] figure[data-resource="cpu"] svg');
    await expect(chart.isVisible()).resolves.toBe(true);
    // The rendered geometry: today's 500m line above the recommended one, the peak path reaching
    // above the recommended line (the daily 0.4-core hour), the rest of the day below it.
    const box = async (selector: string) => (await chart.locator(selector).boundingBox())!;
    const today = await box('[data-line="today"]');
    const recommended = await box('[data-line="recommended"]');
    const max = await box('[data-series="max"]');
    const mean = await box('[data-series="mean"]');
    expect(today.y).toBeLessThan(recommended.y);
    expect(max.y).toBeLessThan(recommended.y);
    expect(mean.y + mean.height).toBeGreaterThan(recommended.y);
    expect(max.y + max.height).toBeGreaterThan(recommended.y);
    const recommendedCores = r.workloads[0]!.containers[0]!.recommended!.requests.cpuCores!;
    expect(Number(await chart.locator('[data-line="recommended"]').getAttribute('data-value'))).toBe(
      recommendedCores,
    );
    expect(await chart.getAttribute('aria-label')).toMatch(
      /^app cpu: 192 steps over 8 days; highest pod peak 420m; today request 500m, recommended request \d+m$/,
    );
    // The table says the same numbers as the text report.
    const row = page.locator('section[data-workload="shop/Deployment/web"] tr[data-container="app"]');
    await expect(row.innerText()).resolves.toContain(`500m → ${Math.round(recommendedCores * 1000)}m`);
    await expect(page.locator('p.proof').first().innerText()).resolves.toBe(
      'proof: placement ok, node loss ok, zone loss ok, drain ok',
    );
    expect(await page.locator('tr[data-zone]').count()).toBe(3);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("names the workload's VPA and lists what its policy did, per container", async () => {
    const withVpa = `${WEB}---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: web-vpa, namespace: shop}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  resourcePolicy:
    containerPolicies:
      - {containerName: app, maxAllowed: {cpu: 100m}}
      - {containerName: sidecar, mode: "Off"}
`;
    const { report: r, plans } = report(false, withVpa);
    const { page, errors } = await open('vpa.html', formatHtml(r, plans));
    expect(errors).toEqual([]);
    const section = page.locator('section[data-workload="shop/Deployment/web"]');
    await expect(section.locator('p.vpa').innerText()).resolves.toBe(
      'VPA web-vpa (updateMode Auto): its policy bounds these numbers; it also sets requests on running pods itself',
    );
    const notes = await section.locator('ul.notes li').allInnerTexts();
    expect(notes).toContain('sidecar: VPA web-vpa has mode Off for it: VPA recommends nothing, not resized');
    expect(
      notes.some((n) =>
        /^app: cpu capped to 100m by the maxAllowed of VPA web-vpa \(uncapped \d+m\)$/.test(n),
      ),
    ).toBe(true);
    await expect(section.locator('tr[data-container="app"]').innerText()).resolves.toContain('500m → 100m');
    await expect(section.locator('tr[data-container="sidecar"]').innerText()).resolves.toContain(
      'no recommendation',
    );
  });

  it('shows the short window as a banner, and keeps hostile names as text', async () => {
    const hostile = WEB.replace('name: app # the server', `name: '${HOSTILE}'`);
    const { report: r, plans } = report(true, hostile);
    const { page, errors } = await open('short.html', formatHtml(r, plans));
    expect(errors).toEqual([]);
    await expect(page.locator('p.short').innerText()).resolves.toContain('a SHORT window');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.locator('body').innerText()).resolves.toContain(HOSTILE);
  });
});
