// The fleet reports of `kubeha scan --context a --context b`, on check results standing for the
// clusters: what each format makes of a cluster not scanned, of names that are markup, and of a fleet
// with nothing to say. The reports of real clusters are tested in test/e2e/scan-fleet.test.ts.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { fleetFormatters } from '../../src/report/fleet-index.js';
import {
  fleetFails,
  fleetSummary,
  isScanned,
  type FleetContext,
  type FleetReport,
} from '../../src/report/fleet-types.js';
import { DOCS_BASE_URL } from '../../src/report/types.js';
import { rules } from '../../src/rules/index.js';
import { parseManifests } from '../../src/sources/parse.js';

const selected = rules.filter((r) => ['single-replica', 'missing-readiness-probe'].includes(r.id));
/** As scan hands live objects to check: without a source position. */
const judged = (yaml: string): ReturnType<typeof check> =>
  check(
    parseManifests(yaml, 'live.yaml').objects.map(({ source: _source, ...o }) => o),
    { rules: selected },
  );
const deployment = (name: string, replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`;

const HOSTILE = '<b>|"prod"&\'eu\'</b>';
const fleet: FleetReport = {
  clusters: [
    {
      context: HOSTILE,
      cluster: 'c1',
      server: 'https://a.example',
      result: judged(deployment('web', 1)),
      rules: selected,
    },
    {
      context: 'quiet',
      cluster: 'c2',
      server: 'https://b.example',
      namespace: 'shop',
      result: judged(''),
      rules: selected,
    },
    { context: 'gone', error: 'no context "gone" in the kubeconfig' },
  ],
};
const ctx: FleetContext = { toolVersion: '9.9.9', color: false, failOn: 'error', docsBaseUrl: DOCS_BASE_URL };

describe('fleet reports', () => {
  it('add the clusters up; a cluster not scanned fails --fail-on, except none', () => {
    expect(fleetSummary(fleet)).toEqual({
      clusters: 3,
      failedClusters: 1,
      objects: 1,
      workloads: 1,
      error: 1,
      warning: 1,
      info: 0,
      suppressed: 0,
    });
    const clean: FleetReport = { clusters: [fleet.clusters[1]!] };
    expect(fleetFails(clean, 'info')).toBe(false);
    expect(fleetFails({ clusters: [fleet.clusters[2]!] }, 'info')).toBe(true);
    expect(fleetFails({ clusters: [fleet.clusters[2]!] }, 'none')).toBe(false);
    expect(fleetFails({ clusters: [fleet.clusters[0]!] }, 'error')).toBe(true);
  });

  it('json: an entry per cluster; one not scanned has only what is known of it and why', () => {
    const out = JSON.parse(fleetFormatters.json(fleet, ctx));
    expect(out.clusters[2]).toEqual({ context: 'gone', error: 'no context "gone" in the kubeconfig' });
    expect(out.clusters[1]).toMatchObject({
      context: 'quiet',
      cluster: 'c2',
      server: 'https://b.example',
      namespace: 'shop',
      findings: [],
    });
    expect('namespace' in out.clusters[0]).toBe(false);
  });

  it('text: a heading per cluster, the failure under its heading, the total last', () => {
    expect(fleetFormatters.text(fleet, { ...ctx, compact: true }).split('\n')).toEqual([
      `━━ ${HOSTILE} (https://a.example, all namespaces)`,
      'namespace shop',
      '  Deployment web',
      expect.stringMatching(/^ {4}error {3}Deployment web runs 1 replica.*single-replica$/),
      expect.stringMatching(/^ {4}warning .*missing-readiness-probe$/),
      '',
      '✖ 2 problems (1 error, 1 warning, 0 info) in 1 object, 1 workload',
      '',
      '━━ quiet (https://b.example, namespace shop)',
      '✔ no HA problems found in 0 objects, 0 workloads',
      '',
      '━━ gone',
      '✖ not scanned: no context "gone" in the kubeconfig',
      '',
      '✖ 3 clusters, 1 not scanned: 2 problems (1 error, 1 warning, 0 info) in 1 object, 1 workload',
      '  kubeha explain <rule> says why a rule matters and how to fix what it finds',
      '',
    ]);
  });

  it("text: each finding's detail under its headline, wrapped to the width; --compact leaves it out", () => {
    const first = fleet.clusters[0]!;
    if (!isScanned(first)) throw new Error('the fixture scanned its first cluster');
    const detail = first.result.findings[0]!.detail;
    expect(detail).not.toBe('');
    const lines = fleetFormatters.text(fleet, { ...ctx, width: 60 }).split('\n');
    const headline = lines.findIndex((l) => /^ {4}error {3}Deployment web runs 1 replica/.test(l));
    // The headline starts at column 12 (no position column for a live object): the detail too.
    const under: string[] = [];
    for (const l of lines.slice(headline + 1)) {
      if (!/^ {12}\S/.test(l)) break;
      under.push(l);
    }
    expect(under.length).toBeGreaterThan(1);
    expect(under.map((l) => l.trim()).join(' ')).toBe(detail);
    for (const l of under) expect(l.length).toBeLessThanOrEqual(60);
    expect(fleetFormatters.text(fleet, { ...ctx, compact: true })).not.toContain(under[0]!.trim());
  });

  it('a fleet where everything was read and nothing found says so', () => {
    const clean: FleetReport = {
      clusters: [fleet.clusters[1]!, { ...fleet.clusters[1]!, context: 'other' }],
    };
    expect(fleetFormatters.text(clean, ctx)).toMatch(
      /\n✔ 2 clusters: no HA problems found in 0 objects, 0 workloads\n$/,
    );
    expect(fleetFormatters.html(clean, ctx)).toContain(
      '<title>kubeha scan: 2 clusters, no HA problems</title>',
    );
    expect(fleetFormatters.html(clean, ctx)).not.toContain('class="filter"');
  });

  it('html, md and junit keep a context named with markup as text', () => {
    const page = fleetFormatters.html(fleet, ctx);
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain('<h2 id="cluster-1">&lt;b&gt;|&quot;prod&quot;&amp;&#39;eu&#39;&lt;/b&gt;</h2>');
    expect(page.match(/id="show-warning"/g)).toHaveLength(1);
    // Each finding's headline in bold with its detail under it, as on a one-cluster page.
    expect(page).toMatch(
      /<div class="headline">Deployment web runs 1 replica<\/div><div class="detail">A crash/,
    );
    expect(page).toContain('.headline{font-weight:600}');
    expect(page).toContain('Not scanned: no context &quot;gone&quot; in the kubeconfig');
    const md = fleetFormatters.md(fleet, ctx);
    expect(md).toContain(`| <b>\\|"prod"&'eu'</b> | \`https://a.example\` | 🔴 2 problems |`);
    const xml = fleetFormatters.junit(fleet, ctx);
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites.testsuite;
    expect(suites.map((s: Record<string, string>) => s['@_name'])).toEqual([
      `kubeha scan ${HOSTILE}`,
      'kubeha scan quiet',
      'kubeha scan gone',
    ]);
  });
});
