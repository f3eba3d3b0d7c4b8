import { describe, expect, it } from 'vitest';
import {
  CHIP_LABEL_MAX,
  chipHtml,
  chipLabels,
  chipTitle,
  legendHtml,
  mapModel,
  mapSection,
  middleEllipsis,
  shortLabel,
  splitWorkloadId,
  type Chip,
} from '../../src/report/simulate-map.js';
import { simulate } from '../../src/simulate/index.js';
import { shorthandTopology } from '../../src/simulate/topology.js';
import { parseManifests } from '../../src/sources/parse.js';
import { oneZoneManifest, pinnedPair, spreadWeb } from './simulate-fixtures.js';

const chip = (over: Partial<Chip> = {}): Chip => ({
  id: 'team-a/Deployment/onezone',
  label: 'team-a/onezone',
  count: 1,
  verdict: 'ok',
  scenario: null,
  ...over,
});

describe('splitWorkloadId', () => {
  it('splits namespace/Kind/name and Kind/name at the kind', () => {
    expect(splitWorkloadId('team-a/Deployment/onezone')).toEqual({
      namespace: 'team-a',
      kind: 'Deployment',
      name: 'onezone',
    });
    expect(splitWorkloadId('Pod/debug')).toEqual({ namespace: '', kind: 'Pod', name: 'debug' });
    expect(splitWorkloadId('argo/Rollout/canary')).toMatchObject({ kind: 'Rollout', name: 'canary' });
  });

  it('keeps a name with slashes whole, and an id it cannot read as the name', () => {
    expect(splitWorkloadId('ns/Deployment/<script>x</script>')).toEqual({
      namespace: 'ns',
      kind: 'Deployment',
      name: '<script>x</script>',
    });
    expect(splitWorkloadId('something')).toEqual({ namespace: '', kind: '', name: 'something' });
  });
});

describe('chip labels', () => {
  it('middleEllipsis keeps both ends and the length', () => {
    expect(middleEllipsis('payments-api-worker', 30)).toBe('payments-api-worker');
    const cut = middleEllipsis('payments-reconciliation-nightly-worker', 15);
    expect(cut).toBe('payment…-worker');
    expect(cut).toHaveLength(15);
  });

  it('shortLabel is namespace/name when it fits, and never longer than the limit', () => {
    expect(shortLabel('team-a', 'onezone')).toBe('team-a/onezone');
    expect(shortLabel('', 'onezone')).toBe('onezone');
    const ns = 'observability-platform-production';
    const label = shortLabel(ns, 'collector', 24);
    expect(label).toBe('observability…/collector');
    expect(label).toHaveLength(24);
    // A long name keeps the room; the namespace keeps its first characters.
    const both = shortLabel(ns, 'payments-reconciliation-nightly-worker');
    expect(both).toHaveLength(CHIP_LABEL_MAX);
    expect(both).toMatch(/^obser…\/payments-re.*….*ly-worker$/);
  });

  it('chipLabels tells apart workloads that share a name: by namespace, and by kind when that is not enough', () => {
    const labels = chipLabels([
      'team-a/Deployment/onezone',
      'team-b/Deployment/onezone',
      'team-c/Deployment/onezone',
      'shop/Deployment/web',
      'shop/StatefulSet/web',
    ]);
    expect([...labels.values()]).toEqual([
      'team-a/onezone',
      'team-b/onezone',
      'team-c/onezone',
      'shop/Deployment/web',
      'shop/StatefulSet/web',
    ]);
  });
});

describe('chipHtml', () => {
  it('an ok chip: the label and count, the whole id as title, no mark', () => {
    expect(chipHtml(chip({ count: 3 }))).toBe(
      '<li class="chip v-ok" title="team-a/Deployment/onezone">team-a/onezone ×3</li>',
    );
  });

  it('a failing chip carries its verdict as icon and as a word, and says where in the title', () => {
    const c = chip({ verdict: 'outage', scenario: 'node-loss:node-1' });
    expect(chipTitle(c)).toBe('team-a/Deployment/onezone — outage in node-loss:node-1');
    expect(chipHtml(c)).toBe(
      '<li class="chip v-outage" title="team-a/Deployment/onezone — outage in node-loss:node-1">' +
        '<span class="mark" aria-hidden="true">✖</span><span class="visually-hidden">outage: </span>' +
        'team-a/onezone</li>',
    );
    expect(chipHtml(chip({ verdict: 'stuck', scenario: 'placement' }))).toContain(
      '<span class="mark" aria-hidden="true">■</span><span class="visually-hidden">stuck: </span>',
    );
  });

  it('escapes the id and the label', () => {
    const html = chipHtml(chip({ id: 'a/Pod/<b>"x"</b>', label: 'a/<b>"x"</b>' }));
    expect(html).toBe(
      '<li class="chip v-ok" title="a/Pod/&lt;b&gt;&quot;x&quot;&lt;/b&gt;">a/&lt;b&gt;&quot;x&quot;&lt;/b&gt;</li>',
    );
  });

  it('the legend shows every mark with its word', () => {
    const legend = legendHtml();
    for (const [v, icon] of [
      ['outage', '✖'],
      ['stuck', '■'],
      ['degraded', '▲'],
    ])
      expect(legend).toContain(
        `<li class="chip v-${v}"><span class="mark" aria-hidden="true">${icon}</span>${v}</li>`,
      );
    expect(legend).toContain('<li class="chip v-ok">ok (unmarked)</li>');
  });
});

describe('mapModel from a simulated report', () => {
  const objects = parseManifests(
    spreadWeb + '---\n' + oneZoneManifest(['team-a', 'team-b', 'team-c']),
    'app.yaml',
  ).objects;
  const report = simulate(objects, shorthandTopology({ nodes: 3, zones: 3 }));

  it('three namespaces with one onezone pod each on node-1: three chips, each an outage', () => {
    const model = mapModel(report);
    const onNode1 = model.byNode.get('node-1')!.filter((c) => c.label.endsWith('/onezone'));
    expect(onNode1.map((c) => [c.id, c.label, c.count, c.verdict])).toEqual([
      ['team-a/Deployment/onezone', 'team-a/onezone', 1, 'outage'],
      ['team-b/Deployment/onezone', 'team-b/onezone', 1, 'outage'],
      ['team-c/Deployment/onezone', 'team-c/onezone', 1, 'outage'],
    ]);
    expect(onNode1.every((c) => c.scenario === 'node-loss:node-1')).toBe(true);
  });

  it('every scheduled pod is on exactly one chip, and the worst chips come first on a node', () => {
    const model = mapModel(report);
    const onNodes = [...model.byNode.values()].flat().reduce((a, c) => a + c.count, 0);
    const scheduled = report.placement.reduce((a, p) => a + p.scheduled, 0);
    expect(onNodes).toBe(scheduled);
    const web = report.workloads.find((w) => w.workload === 'shop/Deployment/web')!;
    expect(web.verdict).toBe('ok');
    const node1 = model.byNode.get('node-1')!;
    expect(node1.map((c) => c.verdict)).toEqual(['outage', 'outage', 'outage', 'ok']);
    expect(model.pending).toEqual([]);
  });

  it('Pending pods get their own card, marked like the workload (stuck)', () => {
    const r = simulate(
      parseManifests(pinnedPair, 'pair.yaml').objects,
      shorthandTopology({ nodes: 3, zones: 3 }),
      { scenarios: ['placement'] },
    );
    expect(r.workloads[0]).toMatchObject({ verdict: 'stuck', scenario: 'placement' });
    const model = mapModel(r);
    const stuck = {
      id: 'team-a/Deployment/pair',
      label: 'team-a/pair',
      count: 1,
      verdict: 'stuck',
      scenario: 'placement',
    };
    expect(model.pending).toEqual([stuck]);
    expect(model.byNode.get('node-1')).toEqual([stuck]);
    const html = mapSection(r);
    expect(html).toContain(
      '<section class="unscheduled">\n<h3>Pending</h3>\n<p class="muted">1 pod no node took</p>\n' +
        '<ul class="pods"><li class="chip v-stuck" title="team-a/Deployment/pair — stuck in placement">',
    );
  });
});
