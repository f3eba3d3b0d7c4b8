import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { groupByFileAndObject } from '../../src/report/group.js';
import { html } from '../../src/report/html.js';
import { MAP_NODE_LIMIT, simulateHtml } from '../../src/report/simulate-html.js';
import { DOCS_BASE_URL, ruleDocUrl, type ReportContext } from '../../src/report/types.js';
import { rules } from '../../src/rules/index.js';
import type { Finding, Severity } from '../../src/rules/types.js';
import { simulate } from '../../src/simulate/index.js';
import { shorthandTopology } from '../../src/simulate/topology.js';
import { parseManifests } from '../../src/sources/parse.js';
import { run } from '../cli/run.js';

/** A manifest whose values are markup: reports quote names, so they must come out as text. */
const HOSTILE_NAME = '<script>window.__pwned=1</script>';
const HOSTILE_NAMESPACE = '<img src=x onerror="window.__pwned=2">';
const hostileManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: '${HOSTILE_NAME}'
  namespace: '${HOSTILE_NAMESPACE}'
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: "debug-'&'-shell"}
spec: {containers: [{name: c, image: busybox}]}
---
kind: [broken
`;

const selected = rules.filter((r) =>
  ['single-replica', 'singleton-pod', 'yaml-syntax', 'missing-readiness-probe', 'hpa-missing'].includes(r.id),
);
const { objects, problems } = parseManifests(hostileManifest, 'k8s/a<b>&c.yaml');
const result = check(objects, { problems, rules: selected });
const ctx: ReportContext = {
  toolVersion: '9.9.9',
  rules: selected,
  color: false,
  failOn: 'error',
  docsBaseUrl: DOCS_BASE_URL,
};

const count = (s: string, re: RegExp): number => s.match(new RegExp(re.source, 'g'))?.length ?? 0;
/** The escaping the tests expect, written out independently of the formatter's. */
const escaped = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const RANK = { error: 0, warning: 1, info: 2 } as const;
const hasError = (o: { findings: readonly Finding[] }): boolean =>
  o.findings.some((f) => f.severity === 'error');
/** The order the page shows findings in: per file, the objects with an error first, errors first in each. */
const shown = (findings: readonly Finding[]): Finding[] =>
  groupByFileAndObject(findings).flatMap((g) =>
    [...g.objects.filter(hasError), ...g.objects.filter((o) => !hasError(o))].flatMap((o) =>
      [...o.findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]),
    ),
  );

describe('html (check and scan)', () => {
  const out = html(result, ctx);

  it('the fixture has findings of every severity, quoting the hostile values', () => {
    expect(new Set(result.findings.map((f) => f.severity))).toEqual(new Set(['error', 'warning', 'info']));
    expect(result.findings.some((f) => f.message.includes(HOSTILE_NAME))).toBe(true);
  });

  it('is one self-contained HTML5 document: lang, charset, no script, nothing fetched', () => {
    expect(out).toMatch(/^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n/);
    expect(out.endsWith('</html>\n')).toBe(true);
    expect(out).toContain('<style>');
    expect(out).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    // No element or CSS that could run or fetch anything (escaped text may quote such markup).
    expect(out).not.toMatch(/<(script|img|link|iframe|object|embed|base|svg)\b/i);
    expect(out).not.toMatch(/<[^>]*\s(src|srcset|on\w+)=/i);
    const css = out.slice(out.indexOf('<style>'), out.indexOf('</style>'));
    expect(css).not.toMatch(/url\(|@import/);
  });

  it('escapes every user-controlled value: names, namespaces, file names', () => {
    expect(out).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
    expect(out).toContain('<h3>k8s/a&lt;b&gt;&amp;c.yaml</h3>');
    expect(out).toContain('debug-&#39;&amp;&#39;-shell');
    expect(out).not.toContain(HOSTILE_NAME);
    expect(out).not.toContain('onerror="');
  });

  it('escapes attribute values too: a docs URL with a quote stays inside href', () => {
    const odd = html(result, { ...ctx, docsBaseUrl: 'https://docs.example/"><b>x/' });
    expect(odd).toContain('href="https://docs.example/&quot;&gt;&lt;b&gt;x/single-replica.md"');
    expect(odd).not.toContain('"><b>');
  });

  it('has one row per finding, grouped by file then object like the text report', () => {
    expect(count(out, /<tr class="finding /)).toBe(result.findings.length);
    const groups = groupByFileAndObject(result.findings);
    expect([...out.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1])).toEqual(
      groups.map((g) => escaped(g.file)),
    );
    const objectRows = [...out.matchAll(/<tr class="object"><th scope="rowgroup" colspan="3">(.*?)<\/th>/g)];
    expect(objectRows).toHaveLength(groups.reduce((a, g) => a + g.objects.length, 0));
    // Within a group, the object's row precedes its findings' rows.
    const web = out.indexOf('Deployment &lt;img');
    const webFinding = out.indexOf('Deployment &lt;script&gt;window.__pwned=1&lt;/script&gt; runs 1 replica');
    expect(web).toBeGreaterThan(0);
    expect(webFinding).toBeGreaterThan(web);
  });

  it('gives each finding a severity word beside its colour, its rule linked to the docs, file:line:column', () => {
    const rows = [...out.matchAll(/<tr class="finding sev-(\w+)">(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(shown(result.findings).map((f) => f.severity));
    shown(result.findings).forEach((f, i) => {
      const row = rows[i]![2]!;
      expect(row).toContain(`</span> ${f.severity[0]!.toUpperCase()}${f.severity.slice(1)}</td>`);
      expect(row).toContain(`<a href="${ruleDocUrl(ctx, f.rule)}"><code>${f.rule}</code></a>`);
      expect(row).toContain(
        `<code>k8s/a&lt;b&gt;&amp;c.yaml:${f.location!.line}:${f.location!.column}</code>`,
      );
    });
    expect(ruleDocUrl(ctx, 'single-replica')).toMatch(/\/docs\/rules\/single-replica\.md$/);
  });

  it('within a file, objects with an error come first, and in each object errors, then warnings, then info', () => {
    // The input's order is not already so: the Deployment's info finding comes before its error.
    expect(result.findings.map((f) => f.severity)).not.toEqual(shown(result.findings).map((f) => f.severity));
    const rows = [...out.matchAll(/<tr class="(object|finding sev-(\w+))">(.*?)<\/tr>/g)];
    const rowGroups: { severities: string[] }[] = [];
    for (const r of rows) {
      if (r[1] === 'object') rowGroups.push({ severities: [] });
      else rowGroups.at(-1)!.severities.push(r[2]!);
    }
    // One file in this fixture: every object with an error precedes every object without one.
    const withError = rowGroups.map((o) => o.severities.includes('error'));
    expect(withError.indexOf(false) === -1 || withError.lastIndexOf(true) < withError.indexOf(false)).toBe(
      true,
    );
    for (const o of rowGroups)
      expect(o.severities).toEqual(
        [...o.severities].sort((a, b) => RANK[a as Severity] - RANK[b as Severity]),
      );
    expect(rowGroups[0]!.severities[0]).toBe('error');
    // A live scan groups by namespace: the same order within each.
    const live = check(
      objects.map(({ source: _source, ...o }) => o),
      { rules: selected },
    );
    const page = html(live, { ...ctx, command: 'scan' });
    const severities = [...page.matchAll(/<tr class="finding sev-(\w+)">/g)].map((m) => m[1]);
    expect(severities).toEqual(shown(live.findings).map((f) => f.severity));
  });

  it('shows the headline prominent and the detail under it; an empty detail shows nothing', () => {
    const f = result.findings.find((x) => x.rule === 'single-replica')!;
    expect(f.detail).not.toBe('');
    expect(out).toContain(
      `<td class="message"><div class="headline">${escaped(f.message)}</div><div class="detail">${escaped(f.detail)}</div><div class="location">`,
    );
    const bare = { ...result, findings: result.findings.map((x) => ({ ...x, detail: '' })) };
    const page = html(bare, ctx);
    expect(page).not.toContain('class="detail"');
    expect(count(page, /<div class="headline">/)).toBe(result.findings.length);
    expect(out).toMatch(/\.headline\{font-weight:600\}/);
  });

  it('summarises the counts and the outcome against --fail-on', () => {
    const s = result.summary;
    for (const [k, v] of [
      ['Objects', s.objects],
      ['Workloads', s.workloads],
      ['Errors', s.error],
      ['Warnings', s.warning],
      ['Info', s.info],
    ] as const)
      expect(out).toContain(`<dt>${k}</dt><dd>${v}</dd>`);
    const total = s.error + s.warning + s.info;
    expect(out).toContain(
      `${total} problems in ${s.objects} objects (${s.workloads} workloads). Fails --fail-on error: ${s.error} findings at or above error.`,
    );
    expect(out).toContain('<p class="outcome fail">');
    expect(html(result, { ...ctx, failOn: 'none' })).toContain(
      '<p class="outcome pass"><span aria-hidden="true">✔</span> ' +
        `${total} problems in ${s.objects} objects (${s.workloads} workloads). Passes: --fail-on none never fails.`,
    );
    expect(out).toContain(`<title>kubeha check: ${total} problems</title>`);
  });

  it('says when nothing was found, with no findings table', () => {
    const clean = html(check([], { rules: selected }), ctx);
    expect(clean).toContain('No HA problems in 0 objects (0 workloads).');
    expect(clean).not.toContain('<table>');
    expect(clean).toContain('<title>kubeha check: no HA problems</title>');
  });

  it('is deterministic: the same result gives the same bytes', () => {
    expect(html(check(objects, { problems, rules: selected }), ctx)).toBe(out);
    expect(out).not.toMatch(/\d{4}-\d\d-\d\d/);
  });

  it('a scan is headed kubeha scan and grouped by namespace, without a location line', () => {
    const live = check(
      objects.map(({ source: _source, ...o }) => o),
      { rules: selected },
    );
    const page = html(live, { ...ctx, command: 'scan' });
    expect(page).toContain('<h1>kubeha scan</h1>');
    expect([...page.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1])).toEqual([
      'namespace &lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;',
      'namespace default',
    ]);
    expect(page).not.toContain('class="location"');
    expect(count(page, /<tr class="finding /)).toBe(live.findings.length);
  });
});

describe('simulate html', () => {
  const topology = shorthandTopology({ nodes: 3, zones: 3 });
  const report = simulate(
    objects.filter((o) => o.kind !== 'Node'),
    topology,
  );
  const sctx = { toolVersion: '9.9.9', color: false, failOn: 'outage' as const };
  const out = simulateHtml(report, sctx);

  it('lists the worst verdict of each workload with its scenario and reason, escaped', () => {
    expect(report.workloads.length).toBe(2);
    const rows = [...out.matchAll(/<tr class="workload v-(\w+)">(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(report.workloads.map((w) => w.verdict));
    report.workloads.forEach((w, i) => {
      const row = rows[i]![2]!;
      expect(row).toContain(`</span> ${w.verdict}</td>`);
      if (w.scenario) expect(row).toContain(`<code>${escaped(w.scenario)}</code>`);
      if (w.verdict !== 'ok') expect(row).toContain(escaped(w.reason));
    });
    expect(out).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(out).not.toContain(HOSTILE_NAME);
    expect(out).not.toContain('<script');
  });

  it('draws the placement map: a section per zone, a row per node with its pods', () => {
    expect([...out.matchAll(/<section class="zone">\n<h3>(.*?)<\/h3>/g)].map((m) => m[1])).toEqual([
      'zone-a',
      'zone-b',
      'zone-c',
    ]);
    expect(count(out, /<li class="node">/)).toBe(3);
    // A chip per workload and node it has pods on, titled with the workload's whole id.
    const placed = report.placement.flatMap((p) => Object.keys(p.byNode).map(() => p.workload));
    expect(placed.length).toBeGreaterThan(0);
    const titles = [...out.matchAll(/<li class="chip v-\w+" title="([^"]*)">/g)].map((m) => m[1]!);
    expect(titles.map((t) => t.split(' — ')[0]).sort()).toEqual(placed.map(escaped).sort());
  });

  it('puts the map before the verdict table, linked from the top of the page', () => {
    expect(out.indexOf('<h2 id="placement">')).toBeGreaterThan(out.indexOf('<h2 id="summary">'));
    expect(out.indexOf('<h2 id="placement">')).toBeLessThan(out.indexOf('<h2 id="verdicts">'));
    const header = out.slice(out.indexOf('<header>'), out.indexOf('</header>'));
    expect(header).toContain('<a href="#placement">Placement map</a>');
    expect(header).toContain('<a href="#verdicts">Verdicts</a>');
  });

  it('summarises the topology, the counts and the outcome against --fail-on', () => {
    const s = report.summary;
    expect(out).toContain('Simulated on 3 nodes in 3 zones (zone-a, zone-b, zone-c).');
    expect(out).toContain(`<dt>Outage</dt><dd>${s.outage}</dd>`);
    expect(out).toContain(`<dt>Scenarios run</dt><dd>${report.scenarios.length}</dd>`);
    expect(out).toContain(`Fails --fail-on outage: ${s.outage} workloads at outage or worse.`);
    expect(simulateHtml(report, { ...sctx, failOn: 'none' })).toContain(
      '<p class="outcome pass"><span aria-hidden="true">✔</span> Passes: --fail-on none never fails.',
    );
  });

  it(`above ${MAP_NODE_LIMIT} nodes the map has one line per zone, no row per node`, () => {
    const big = simulate(
      objects.filter((o) => o.kind === 'Pod'),
      shorthandTopology({ nodes: MAP_NODE_LIMIT + 1, zones: 3 }),
      { scenarios: ['placement', 'zone-loss'] },
    );
    const page = simulateHtml(big, sctx);
    expect(count(page, /<li class="node">/)).toBe(0);
    expect(page).toContain(
      `(${MAP_NODE_LIMIT + 1} nodes: one line per zone, and only the workloads that are not ok)`,
    );
    expect(page).toContain('<h3>zone-a</h3>\n<p class="muted">167 nodes, ');
    // The Pod (an outage when its zone goes) is still marked, in the zone it runs in.
    const pod = big.workloads.find((w) => w.workload.includes('/Pod/'))!;
    expect(pod.verdict).not.toBe('ok');
    const chip = `<li class="chip v-${pod.verdict}" title="${escaped(pod.workload)} — `;
    expect(page.split(chip)).toHaveLength(2);
    expect(page).not.toContain('ok workload');
  });
});

describe('-o html through the CLI', () => {
  it('check examples/bad-app: a row per finding of the JSON output, exit 1', async () => {
    const [page, json] = await Promise.all([
      run(['check', 'examples/bad-app', '-o', 'html']),
      run(['check', 'examples/bad-app', '-o', 'json']),
    ]);
    expect(page.code).toBe(1);
    expect(page.stderr).toBe('');
    const findings = (JSON.parse(json.stdout) as { findings: { rule: string }[] }).findings;
    expect(findings.length).toBeGreaterThan(10);
    expect(count(page.stdout, /<tr class="finding /)).toBe(findings.length);
    expect(page.stdout).toContain('<h3>examples/bad-app/api.yaml</h3>');
    expect(page.stdout).toContain('<h1>kubeha check</h1>');
  });

  it('simulate examples/bad-app: a row per workload of the JSON output', async () => {
    const [page, json] = await Promise.all([
      run(['simulate', 'examples/bad-app', '-o', 'html']),
      run(['simulate', 'examples/bad-app', '-o', 'json']),
    ]);
    const report = JSON.parse(json.stdout) as {
      workloads: { verdict: string }[];
      topology: { nodes: number };
    };
    expect(page.code).toBe(json.code);
    // Like json and md, html keeps stderr free of the topology note text prints.
    expect(page.stderr).toBe('');
    expect([...page.stdout.matchAll(/<tr class="workload v-(\w+)">/g)].map((m) => m[1])).toEqual(
      report.workloads.map((w) => w.verdict),
    );
    expect(count(page.stdout, /<li class="node">/)).toBe(report.topology.nodes);
  });

  it('a hostile manifest on disk comes out escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeha-html-'));
    writeFileSync(join(dir, 'app.yaml'), hostileManifest);
    const r = await run(['check', dir, '-o', 'html']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(r.stdout).not.toContain('<script');
  });

  it.each([['check'], ['scan'], ['simulate']])(
    '%s --help lists html among the output formats',
    async (cmd) => {
      const help = await run([cmd, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/choices: "text", "json",[^)]*"html"/);
    },
  );
});
