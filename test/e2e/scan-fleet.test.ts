// kubeha scan on a fleet: two real control planes in one kubeconfig, plus contexts that cannot be
// scanned (unknown, unreachable, a token with no role). One report grouped by cluster in every
// format, each cluster's part what scanning it alone says, and the failures as entries.
//
// The clusters: KUBEHA_E2E_KUBECONFIG's (as every e2e file), and a second one,
// KUBEHA_E2E_FLEET_KUBECONFIG, or else one this file starts with tools/cluster/up.sh
// (KUBEHA_CLUSTER_NAME=kubeha-e2e-fleet) and stops at the end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeCall, loadKubeconfig, type Kubeconfig } from '../../tools/cluster/kube.mjs';
import { launch, openReport } from '../report/browser.js';
import { ROOT, run } from '../cli/run.js';
import { e2eKubeconfig, createAll, freshNamespace, dropNamespace, until, type Obj } from './support.js';

const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;

const SECOND_CLUSTER = 'kubeha-e2e-fleet';
const ns = `fleet-${Date.now().toString(36)}`;
let started = false;
let kcA: Kubeconfig;
let kcB: Kubeconfig;
let dir: string;
/** Contexts fleet-a, fleet-b (the two control planes), unreachable (port 1) and nobody (a token of B's without a role). */
let merged: string;
const ALL = ['fleet-a', 'fleet-b', 'unreachable', 'nobody'];

/** A Deployment whose pods stay Pending (no node has the label): the findings do not move while the test runs. */
const deployment = (name: string, replicas: number): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, labels: { app: ${name} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      nodeSelector: { kubeha-e2e: fleet-nowhere }
      containers:
        - name: app
          image: registry.example/${name}:1.0
          resources: { requests: { cpu: 100m, memory: 128Mi } }
`;

function secondKubeconfig(): string {
  const given = process.env['KUBEHA_E2E_FLEET_KUBECONFIG'];
  if (given) return given;
  const out = execFileSync('bash', [join(ROOT, 'tools/cluster/up.sh')], {
    env: { ...process.env, KUBEHA_CLUSTER_NAME: SECOND_CLUSTER },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started = true;
  return out.trim().split('\n').at(-1)!;
}

/** The first cluster, context and user of a kubeconfig file, renamed for the merged one. */
function entries(file: string, as: string): { cluster: Obj; user: Obj } {
  const cfg = parse(readFileSync(file, 'utf8')) as Obj;
  const context = cfg.contexts.find((c: Obj) => c.name === cfg['current-context']).context;
  const cluster = cfg.clusters.find((c: Obj) => c.name === context.cluster).cluster;
  const user = cfg.users.find((u: Obj) => u.name === context.user).user;
  return { cluster: { name: as, cluster }, user: { name: as, user } };
}

async function podsCreated(kc: Kubeconfig, count: number): Promise<void> {
  await until(`${count} pods in ${ns}`, 60_000, async () => {
    const { body } = await kubeCall(kc, 'GET', `/api/v1/namespaces/${ns}/pods`);
    return (body.items as Obj[]).length >= count ? true : undefined;
  });
}

beforeAll(async () => {
  const cluster = e2eKubeconfig();
  const first = cluster.kubeconfig;
  kcA = cluster.kc;
  const second = secondKubeconfig();
  kcB = loadKubeconfig(second);
  dir = mkdtempSync(join(tmpdir(), 'kubeha-fleet-'));

  await freshNamespace(kcA, ns);
  await freshNamespace(kcB, ns);
  await createAll(kcA, deployment('web', 1), ns);
  await createAll(kcB, deployment('api', 2), ns);
  await createAll(kcB, `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: nobody }`, ns);
  await podsCreated(kcA, 1);
  await podsCreated(kcB, 2);
  const { body } = await kubeCall(kcB, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts/nobody/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });

  const a = entries(first, 'fleet-a');
  const b = entries(second, 'fleet-b');
  merged = join(dir, 'fleet.kubeconfig');
  writeFileSync(
    merged,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        a.cluster,
        b.cluster,
        { name: 'port-1', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
      ],
      users: [a.user, b.user, { name: 'nobody', user: { token: body.status.token } }],
      contexts: [
        { name: 'fleet-a', context: { cluster: 'fleet-a', user: 'fleet-a' } },
        { name: 'fleet-b', context: { cluster: 'fleet-b', user: 'fleet-b' } },
        { name: 'unreachable', context: { cluster: 'port-1', user: 'fleet-a' } },
        { name: 'nobody', context: { cluster: 'fleet-b', user: 'nobody', namespace: ns } },
      ],
      'current-context': 'fleet-a',
    }),
  );
}, 300_000);

afterAll(async () => {
  if (kcA) await dropNamespace(kcA, ns);
  if (kcB) await dropNamespace(kcB, ns);
  if (started)
    execFileSync('bash', [join(ROOT, 'tools/cluster/down.sh')], {
      env: { ...process.env, KUBEHA_CLUSTER_NAME: SECOND_CLUSTER },
      stdio: 'ignore',
    });
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

const scan = (args: string[]): ReturnType<typeof run> => run(['scan', '--kubeconfig', merged, ...args]);
const fleetArgs = (...more: string[]): string[] => [
  ...['fleet-a', 'fleet-b', 'missing', 'unreachable', 'nobody'].flatMap((c) => ['--context', c]),
  '-n',
  ns,
  ...more,
];
const server = (kc: Kubeconfig): string => kc.server;

describe('kubeha scan --context … --context …', () => {
  it('json: one entry per context, in the order given; each cluster is what scanning it alone says; failures are entries', async () => {
    const [fleet, aloneA, aloneB] = await Promise.all([
      scan(fleetArgs('-o', 'json')),
      scan(['--context', 'fleet-a', '-n', ns, '-o', 'json']),
      scan(['--context', 'fleet-b', '-n', ns, '-o', 'json']),
    ]);
    expect(fleet.code).toBe(1);
    const out = JSON.parse(fleet.stdout);
    const a = JSON.parse(aloneA.stdout);
    const b = JSON.parse(aloneB.stdout);
    // One cluster alone keeps the envelope it always had.
    expect(Object.keys(a)).toEqual(['version', 'tool', 'findings', 'summary']);
    expect(Object.keys(out)).toEqual(['version', 'tool', 'clusters', 'summary']);
    expect(out.version).toBe(1);
    expect(out.clusters.map((c: Obj) => c.context)).toEqual([
      'fleet-a',
      'fleet-b',
      'missing',
      'unreachable',
      'nobody',
    ]);
    const [ca, cb, missing, unreachable, nobody] = out.clusters;
    expect(ca).toEqual({
      context: 'fleet-a',
      cluster: 'fleet-a',
      server: server(kcA),
      namespace: ns,
      findings: a.findings,
      summary: a.summary,
    });
    expect(cb).toEqual({
      context: 'fleet-b',
      cluster: 'fleet-b',
      server: server(kcB),
      namespace: ns,
      findings: b.findings,
      summary: b.summary,
    });
    // Each cluster's own objects, none of the other's.
    const names = (c: Obj): string[] => c.findings.map((f: Obj) => f.object?.name);
    expect(ca.findings.some((f: Obj) => f.rule === 'single-replica' && f.object.name === 'web')).toBe(true);
    expect(names(ca)).not.toContain('api');
    expect(names(cb)).toContain('api');
    expect(names(cb)).not.toContain('web');

    expect(missing).toEqual({ context: 'missing', error: 'no context "missing" in the kubeconfig' });
    expect(unreachable).toMatchObject({
      context: 'unreachable',
      cluster: 'port-1',
      server: 'https://127.0.0.1:1',
    });
    expect(unreachable.error).toMatch(/^cannot reach https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(nobody).toMatchObject({ context: 'nobody', cluster: 'fleet-b', server: server(kcB) });
    expect(nobody.error).toMatch(
      /^could list none of the kinds scan reads: cannot list .* \(403 Forbidden\)/,
    );

    const sum = (key: string): number => a.summary[key] + b.summary[key];
    expect(out.summary).toEqual({
      clusters: 5,
      failedClusters: 3,
      objects: sum('objects'),
      workloads: sum('workloads'),
      error: sum('error'),
      warning: sum('warning'),
      info: sum('info'),
      suppressed: sum('suppressed'),
    });
    // stderr: each cluster's read line, and one line per cluster that was not scanned.
    expect(fleet.stderr).toContain(`kubeha scan: fleet-a (${server(kcA)}), namespace ${ns}:`);
    expect(fleet.stderr).toContain(`kubeha scan: fleet-b (${server(kcB)}), namespace ${ns}:`);
    expect(fleet.stderr).toContain('kubeha: missing: not scanned: no context "missing" in the kubeconfig\n');
    expect(fleet.stderr).toMatch(/^kubeha: nobody: not scanned: could list none/m);
  });

  it('--all-contexts: every context of the kubeconfig, in its order; --fail-on none passes it', async () => {
    const r = await scan(['--all-contexts', '-n', ns, '-o', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.clusters.map((c: Obj) => c.context)).toEqual(ALL);
    expect(out.clusters.map((c: Obj) => 'error' in c)).toEqual([false, false, true, true]);
  });

  it('text: a heading per cluster over what scanning it alone prints, then the fleet total', async () => {
    const [fleet, aloneA, aloneB] = await Promise.all([
      scan(fleetArgs()),
      scan(['--context', 'fleet-a', '-n', ns]),
      scan(['--context', 'fleet-b', '-n', ns]),
    ]);
    const hint = '  kubeha explain <rule> says why a rule matters and how to fix what it finds\n';
    const body = (alone: string): string => alone.replace(hint, '');
    expect(fleet.stdout).toContain(
      `━━ fleet-a (${server(kcA)}, namespace ${ns})\n${body(aloneA.stdout)}\n━━ fleet-b`,
    );
    expect(fleet.stdout).toContain(
      `━━ fleet-b (${server(kcB)}, namespace ${ns})\n${body(aloneB.stdout)}\n━━ missing`,
    );
    expect(fleet.stdout).toContain('━━ missing\n✖ not scanned: no context "missing" in the kubeconfig\n');
    expect(fleet.stdout).toMatch(/\n✖ 5 clusters, 3 not scanned: \d+ problems? \(/);
    expect(fleet.stdout.endsWith(hint)).toBe(true);
  });

  it('sarif: valid SARIF 2.1.0, a run per cluster with its own category; a failure is an unsuccessful invocation', async () => {
    const [fleet, aloneA] = await Promise.all([
      scan(fleetArgs('-o', 'sarif')),
      scan(['--context', 'fleet-a', '-n', ns, '-o', 'sarif']),
    ]);
    const log = JSON.parse(fleet.stdout);
    const ajv = new AjvDraft04.default({
      allErrors: true,
      strict: false,
      validateFormats: false,
      unicodeRegExp: false,
    });
    expect(ajv.validate(sarifSchema, log)).toBe(true);
    expect(ajv.errors ?? []).toEqual([]);
    expect(log.runs.map((r: Obj) => r.automationDetails.id)).toEqual(
      ['fleet-a', 'fleet-b', 'missing', 'unreachable', 'nobody'].map((c) => `kubeha-scan/${c}/`),
    );
    expect(log.runs[0].results).toEqual(JSON.parse(aloneA.stdout).runs[0].results);
    expect(log.runs[0].tool).toEqual(JSON.parse(aloneA.stdout).runs[0].tool);
    expect(log.runs.map((r: Obj) => r.invocations[0].executionSuccessful)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(log.runs[2].invocations[0].toolExecutionNotifications[0]).toEqual({
      level: 'error',
      message: { text: 'not scanned: no context "missing" in the kubeconfig' },
    });
  });

  it('junit: a suite per cluster; a cluster not scanned is an errored case', async () => {
    const [fleet, aloneB] = await Promise.all([
      scan(fleetArgs('-o', 'junit')),
      scan(['--context', 'fleet-b', '-n', ns, '-o', 'junit']),
    ]);
    expect(XMLValidator.validate(fleet.stdout)).toBe(true);
    const parser = new XMLParser({ ignoreAttributes: false });
    const doc = parser.parse(fleet.stdout);
    const suites = doc.testsuites.testsuite as Obj[];
    expect(suites.map((s) => s['@_name'])).toEqual(
      ['fleet-a', 'fleet-b', 'missing', 'unreachable', 'nobody'].map((c) => `kubeha scan ${c}`),
    );
    const alone = parser.parse(aloneB.stdout).testsuites.testsuite;
    expect(suites[1]!.testcase).toEqual(alone.testcase);
    expect(suites.slice(2).map((s) => s.testcase.error['@_type'])).toEqual(
      Array(3).fill('cluster-not-scanned'),
    );
    expect(doc.testsuites['@_errors']).toBe('3');
  });

  it('md: a table of the clusters, then a section per cluster', async () => {
    const r = await scan(fleetArgs('-o', 'md'));
    expect(r.stdout).toMatch(/^## kubeha scan\n\n\*\*5 clusters, 3 not scanned\*\*/);
    expect(r.stdout).toContain(`| fleet-a | \`${server(kcA)}\` |`);
    expect(r.stdout).toContain('| missing |  | ❌ not scanned: no context "missing" in the kubeconfig |');
    expect(r.stdout.match(/^### .*$/gm)).toEqual(
      ['fleet-a', 'fleet-b', 'missing', 'unreachable', 'nobody'].map((c) => `### ${c}`),
    );
  });

  it('html in Chromium: a section per cluster, the failures said, one filter for every cluster', async () => {
    const launched = await launch();
    if (!('browser' in launched)) throw new Error(launched.missing);
    try {
      const [page, json] = await Promise.all([scan(fleetArgs('-o', 'html')), scan(fleetArgs('-o', 'json'))]);
      const out = JSON.parse(json.stdout);
      const { page: p, errors, fetched } = await openReport(launched.browser, dir, 'fleet.html', page.stdout);
      expect(await p.getByRole('heading', { level: 1 }).innerText()).toBe('kubeha scan');
      expect(await p.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
        'Summary',
        'fleet-a',
        'fleet-b',
        'missing',
        'unreachable',
        'nobody',
      ]);
      const findings = out.clusters.flatMap((c: Obj) => c.findings ?? []) as Obj[];
      expect(await p.locator('tr.finding:visible').count()).toBe(findings.length);
      expect(await p.locator('section:has(> #cluster-1) tr.finding').count()).toBe(
        out.clusters[0].findings.length,
      );
      // The clusters' table links to each section.
      await p.getByRole('link', { name: 'nobody' }).click();
      expect(p.url().endsWith('#cluster-5')).toBe(true);
      expect(await p.locator('section:has(> #cluster-3)').innerText()).toContain(
        'Not scanned: no context "missing" in the kubeconfig',
      );
      // One filter hides the warnings of every cluster.
      await p.locator('#show-warning').uncheck();
      const warnings = findings.filter((f) => f.severity === 'warning').length;
      expect(warnings).toBeGreaterThan(0);
      expect(await p.locator('tr.finding:visible').count()).toBe(findings.length - warnings);
      expect(errors).toEqual([]);
      expect(fetched).toEqual([]);
    } finally {
      await launched.browser.close();
    }
  });

  it('--simulate runs per cluster', async () => {
    const [fleet, aloneA] = await Promise.all([
      scan(['--context', 'fleet-a', '--context', 'fleet-b', '-n', ns, '--simulate', '-o', 'json']),
      scan(['--context', 'fleet-a', '-n', ns, '--simulate', '-o', 'json']),
    ]);
    const out = JSON.parse(fleet.stdout);
    expect(out.clusters.map((c: Obj) => c.context)).toEqual(['fleet-a', 'fleet-b']);
    expect(out.clusters[0].findings).toEqual(JSON.parse(aloneA.stdout).findings);
  });

  it('one context is the report it always was; simulate --cluster takes one', async () => {
    const r = await scan(['--context', 'fleet-a', '--context', 'fleet-a', '-n', ns, '-o', 'json']);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['version', 'tool', 'findings', 'summary']);
    const sim = await run([
      'simulate',
      '--cluster',
      '--kubeconfig',
      merged,
      '--context',
      'fleet-a',
      '--context',
      'fleet-b',
    ]);
    expect(sim.code).toBe(2);
    expect(sim.stderr).toBe(
      'kubeha: --context was given 2 times (fleet-a, fleet-b): only kubeha scan reads several clusters; run this once per context\n',
    );
  });
});
