import { describe, expect, it } from 'vitest';
import { rightsize, type RightsizeInput } from '../../src/rightsize/run.js';
import { rightsizeTargets } from '../../src/rightsize/targets.js';
import { formatText } from '../../src/rightsize/text.js';
import { shorthandTopology } from '../../src/simulate/index.js';
import { container, DAY, HOUR, MIB, NOW, objectsOf, usageOf, WEB } from './fixtures.js';

const DB = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, resources: {requests: {cpu: "1", memory: 2Gi}}}]}
`;
const objects = [...objectsOf(WEB), ...objectsOf(DB, 'db.yaml')];
const { targets } = rightsizeTargets(objects);
const web = objects[0]!;

/** Three pods of web, each at 0.1 core (0.3 at the daily peak) and 300 MiB; db has no history. */
const input = (over: Partial<RightsizeInput> = {}): RightsizeInput => ({
  objects,
  targets,
  usage: [
    usageOf(
      web,
      ['web-1', 'web-2', 'web-3'].flatMap((pod) => [
        container(
          pod,
          'app',
          (i) => (i % 24 === 12 ? 0.3 : 0.1),
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
    usageOf(objects[2]!, [], ['no pods match app=db in kube_pod_labels']),
  ],
  source: {
    kind: 'prometheus',
    url: 'http://127.0.0.1:9090',
    shortWindow: false,
    window: { start: NOW - 8 * DAY, end: NOW, step: HOUR },
  },
  limits: 'ratio',
  topology: {
    topology: shorthandTopology({ nodes: 3, zones: 3, nodeCpu: '4', nodeMemory: '8Gi', nodePods: 110 }),
    description: '--nodes 3 --zones 3',
  },
  ...over,
});

describe('rightsize', () => {
  const { report } = rightsize(input());
  const [w, db] = report.workloads;

  it('plans each workload, judges its HPA and proves it on the topology', () => {
    expect(report.version).toBe(1);
    expect(w!.changed).toBe(true);
    expect(w!.containers[0]!.recommended!.requests.cpuCores).toBeLessThan(0.5);
    expect(w!.hpas).toHaveLength(1);
    const hpa = w!.hpas[0]!;
    expect(hpa.currentReplicas).toBe(3);
    // The HPA's Resource metric needs every container's request: the sidecar has none today, so the
    // HPA fails on it today; with the new requests it works.
    expect(hpa.metrics[0]!.problems).toEqual(['today: container sidecar has no cpu request']);
    expect(hpa.replicasBefore).toEqual({ mean: null, peak: null });
    // Load summed over the 3 pods: app 0.1 core (0.3 one hour a day), sidecar 0.01.
    const perPod = w!.containers.reduce((a, c) => a + c.recommended!.requests.cpuCores!, 0);
    const mean = 3 * ((23 * 0.1 + 0.3) / 24 + 0.01);
    const peak = 3 * (0.3 + 0.01);
    const percent = (usage: number): number => Math.floor((100 * usage) / (3 * perPod));
    expect(hpa.metrics[0]!.utilizationAfter).toEqual({ mean: percent(mean), peak: percent(peak) });
    expect(hpa.replicasAfter).toEqual({
      mean: Math.ceil((percent(mean) / 60) * 3),
      peak: Math.ceil((percent(peak) / 60) * 3),
    });
    expect(hpa.replicasAfter.peak).toBeGreaterThan(4);
    expect(hpa.warnings).toEqual([
      `at the peak load the HPA would want ${hpa.replicasAfter.peak} replicas, above maxReplicas 4: out of reach, the pods would run above the target`,
    ]);
    expect(w!.proof!.before.placement).toBe('ok');
    expect(w!.proof!.worse).toBe(false);
    expect(report.proof!.zones).toHaveLength(3);
    expect(report.proof!.zones[0]!.headroomAfter.cpuCores).toBeGreaterThan(
      report.proof!.zones[0]!.headroomBefore.cpuCores,
    );
  });

  it('gives a workload without history its problem and no numbers', () => {
    expect(db!.changed).toBe(false);
    expect(db!.containers[0]!.recommended).toBeNull();
    expect(db!.containers[0]!.vpa).toBeNull();
    expect(db!.problems).toEqual(['no pods match app=db in kube_pod_labels']);
    expect(report.summary).toEqual({
      workloads: 2,
      changed: 1,
      withProblems: 1,
      worseAfter: 0,
      hpaWarnings: 1,
    });
  });

  it('writes one text block per workload and says a short window', () => {
    const text = formatText(report);
    expect(text).toMatch(/^usage from Prometheus http:\/\/127\.0\.0\.1:9090: 8d of usage at 1h steps/);
    expect(text).toContain('\nDeployment shop/web (web.yaml)\n  container app: requests cpu 500m → ');
    expect(text).toContain('  HPA web (cpu 60%; min 2, max 4, now 3): replicas at the average load ? → ');
    expect(text).toContain(
      '    cpu: today: container sidecar has no cpu request\n    warning: at the peak load',
    );
    expect(text).toContain('  proof: placement ok, node loss ok, zone loss ok, drain ok\n');
    expect(text).toContain(
      'StatefulSet shop/db (db.yaml)\n  problem: no pods match app=db in kube_pod_labels\n',
    );
    expect(text).not.toContain('SHORT');
    const short = formatText(
      rightsize(input({ source: { ...input().source, kind: 'metrics-api', url: null, shortWindow: true } }))
        .report,
    );
    expect(short).toContain("a SHORT window: VPA's defaults weigh 8 days of history");
  });

  it('runs no proof without a topology', () => {
    const { topology: _t, ...rest } = input();
    const r = rightsize(rest).report;
    expect(r.proof).toBeNull();
    expect(r.workloads[0]!.proof).toBeNull();
    expect(formatText(r)).not.toContain('proof:');
  });
});
