// A workload's VerticalPodAutoscaler bounds its recommendation as it bounds VPA's status: read from
// manifests (vpa-object.ts), applied per container (plan.ts), said in the report (report.ts, text.ts).
import { describe, expect, it } from 'vitest';
import { planWorkload } from '../../src/rightsize/plan.js';
import { rightsizeTargets } from '../../src/rightsize/targets.js';
import { formatText } from '../../src/rightsize/text.js';
import { rightsize } from '../../src/rightsize/run.js';
import { resourcePolicyOf } from '../../src/model/vpa-policy.js';
import { container, DAY, MIB, NOW, objectsOf, usageOf, WEB } from './fixtures.js';

const vpa = (name: string, body: string, extra = ''): string => `---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: ${name}
  namespace: shop${extra}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
${body}`;

const CAPPED = vpa(
  'web',
  `  updatePolicy: {updateMode: "Off"}
  resourcePolicy:
    containerPolicies:
      - containerName: app
        maxAllowed: {cpu: 200m}
        minAllowed: {memory: 1Gi}
        controlledValues: RequestsOnly
      - containerName: "*"
        mode: "Off"
`,
);

/** app busy (0.5 cores, 300 MiB), sidecar light; eight days, hourly. */
function usage(objects: ReturnType<typeof objectsOf>) {
  const web = objects.find((o) => o.kind === 'Deployment')!;
  return usageOf(web, [
    container(
      'web-1',
      'app',
      () => 0.5,
      () => 300 * MIB,
    ),
    container(
      'web-1',
      'sidecar',
      () => 0.02,
      () => 40 * MIB,
    ),
  ]);
}

describe('the VPA object', () => {
  it('reads the policy: names, modes, quantities, controlled resources and values', () => {
    const objects = objectsOf(WEB + CAPPED);
    expect(resourcePolicyOf(objects.find((o) => o.kind === 'VerticalPodAutoscaler')!)).toEqual({
      containerPolicies: [
        {
          containerName: 'app',
          controlledValues: 'RequestsOnly',
          minAllowed: { memoryBytes: 1024 * MIB },
          maxAllowed: { cpuCores: 0.2 },
        },
        { containerName: '*', mode: 'Off' },
      ],
    });
    const [target] = rightsizeTargets(objects).targets;
    expect(target!.vpa).toMatchObject({ name: 'web', updateMode: 'Off', others: [] });
  });

  it('the oldest of two VPAs is the one (VPA’s Stronger), by name without creation times', () => {
    const twoNamed = objectsOf(WEB + vpa('b', '') + vpa('a', ''));
    expect(rightsizeTargets(twoNamed).targets[0]!.vpa).toMatchObject({ name: 'a', others: ['b'] });
    const twoTimed = objectsOf(
      WEB +
        vpa('a', '', '\n  creationTimestamp: "2026-02-01T00:00:00Z"') +
        vpa('b', '', '\n  creationTimestamp: "2026-01-01T00:00:00Z"'),
    );
    expect(rightsizeTargets(twoTimed).targets[0]!.vpa).toMatchObject({ name: 'b', others: ['a'] });
    const [target] = rightsizeTargets(twoTimed).targets;
    const plan = planWorkload(target!, usage(twoTimed), 'ratio', { now: NOW });
    expect(plan.problems).toEqual([
      '2 VPAs name it (b, a): VPA applies the oldest, b, to its pods; its policy is used here',
    ]);
  });

  it('a VPA of another workload or namespace is not this one’s', () => {
    const other = objectsOf(
      WEB +
        vpa('web', '').replace('name: web}', 'name: api}') +
        vpa('web2', '').replace('namespace: shop', 'namespace: other'),
    );
    expect(rightsizeTargets(other).targets[0]!.vpa).toBeUndefined();
  });
});

describe('a plan under a VPA policy', () => {
  const objects = objectsOf(WEB + CAPPED);
  const [target] = rightsizeTargets(objects).targets;
  const plan = planWorkload(target!, usage(objects), 'ratio', { now: NOW });
  const app = plan.containers.find((c) => c.name === 'app')!;
  const sidecar = plan.containers.find((c) => c.name === 'sidecar')!;

  it('caps the app at maxAllowed cpu and raises it to minAllowed memory, and says both', () => {
    expect(app.recommendation!.target).toEqual({ cpuCores: 0.2, memoryBytes: 1024 * MIB });
    expect(app.recommendation!.uncappedTarget.cpuCores).toBeGreaterThan(0.5);
    expect(app.recommended!.requests).toEqual({ cpuCores: 0.2, memoryBytes: 1024 * MIB });
    expect(app.notes).toContain(
      `cpu capped to 200m by the maxAllowed of VPA web (uncapped ${Math.ceil(app.recommendation!.uncappedTarget.cpuCores! * 1000)}m)`,
    );
    expect(app.notes.some((n) => n.startsWith('memory raised to 1Gi by the minAllowed of VPA web'))).toBe(
      true,
    );
    // RequestsOnly under the default `ratio` (what VPA does): today's limits stay.
    expect(app.recommended!.limits).toEqual({ cpuCores: 1, memoryBytes: 1024 * MIB });
    expect(app.notes).toContain(
      'VPA web sets requests only (controlledValues RequestsOnly): its limits are kept, as VPA keeps them',
    );
  });

  it('under RequestsOnly caps a request above the limit at the limit, as VPA; another --limits decides', () => {
    const above = objectsOf(WEB + CAPPED.replace('minAllowed: {memory: 1Gi}', 'minAllowed: {memory: 2Gi}'));
    const [t] = rightsizeTargets(above).targets;
    const ratio = planWorkload(t!, usage(above), 'ratio', { now: NOW }).containers[0]!;
    expect(ratio.recommendation!.target.memoryBytes).toBe(2048 * MIB);
    expect(ratio.recommended!.requests.memoryBytes).toBe(1024 * MIB);
    expect(ratio.recommended!.limits.memoryBytes).toBe(1024 * MIB);
    expect(ratio.notes).toContain(
      'memory request capped at its limit 1Gi, as VPA caps it under RequestsOnly',
    );
    const none = planWorkload(t!, usage(above), 'none', { now: NOW }).containers[0]!;
    expect(none.recommended!.requests.memoryBytes).toBe(2048 * MIB);
    expect(none.recommended!.limits).toEqual({});
    expect(none.notes).toContain(
      'VPA web sets requests only (controlledValues RequestsOnly); the limits here follow --limits none',
    );
  });

  it('leaves the mode Off sidecar as it is, with a note and no problem', () => {
    expect(sidecar.recommendation).toBeUndefined();
    expect(sidecar.recommended).toBeUndefined();
    expect(sidecar.notes).toEqual(['VPA web has mode Off for it: VPA recommends nothing, not resized']);
    expect(plan.problems).toEqual([]);
  });

  it('keeps an uncontrolled resource as it is', () => {
    const cpuOnly = objectsOf(
      WEB +
        vpa(
          'web',
          `  resourcePolicy:
    containerPolicies:
      - {containerName: "*", controlledResources: [cpu]}
`,
        ),
    );
    const [t] = rightsizeTargets(cpuOnly).targets;
    const p = planWorkload(t!, usage(cpuOnly), 'ratio', { now: NOW });
    const a = p.containers.find((c) => c.name === 'app')!;
    expect(a.recommendation!.target.memoryBytes).toBeUndefined();
    expect(a.recommended!.requests.memoryBytes).toBe(512 * MIB);
    expect(a.recommended!.limits.memoryBytes).toBe(1024 * MIB);
    expect(a.recommended!.requests.cpuCores).toBeGreaterThan(0.5);
    expect(a.notes).toContain(
      'VPA web does not control its memory (controlledResources): its memory request and limit are left as they are',
    );
  });

  it('the report names the VPA and its mode, and the text says what it means', () => {
    const { report } = rightsize({
      objects,
      targets: [target!],
      usage: [usage(objects)],
      source: {
        kind: 'prometheus',
        url: null,
        shortWindow: false,
        window: { start: NOW - 8 * DAY, end: NOW, step: 3600 },
      },
      limits: 'ratio',
    });
    const w = report.workloads[0]!;
    expect(w.verticalPodAutoscaler).toEqual({ name: 'web', updateMode: 'Off', statusTargets: [] });
    const c = w.containers.find((x) => x.name === 'app')!;
    expect(c.vpa!.target.cpuCores).toBe(0.2);
    expect(c.vpa!.uncappedTarget.cpuCores).toBeGreaterThan(0.5);
    expect(w.containers.find((x) => x.name === 'sidecar')!.vpa).toBeNull();
    const text = formatText(report);
    expect(text).toContain('  VPA web (updateMode Off): its policy bounds these numbers\n');
    expect(text).toContain('    note: VPA web has mode Off for it: VPA recommends nothing, not resized');
  });
});

describe("a live VPA's status", () => {
  it('is read per container and shown beside kubeha’s numbers', () => {
    const live = objectsOf(
      WEB +
        vpa('web', '') +
        `status:
  recommendation:
    containerRecommendations:
      - containerName: app
        target: {cpu: 587m, memory: "314572800"}
        lowerBound: {cpu: 500m, memory: 300Mi}
        upperBound: {cpu: "1", memory: 400Mi}
      - {containerName: sidecar, target: {cpu: 25m}}
`,
    );
    const [target] = rightsizeTargets(live).targets;
    expect(target!.vpa!.statusTargets).toEqual([
      { container: 'app', target: { cpuCores: 0.587, memoryBytes: 300 * MIB } },
      { container: 'sidecar', target: { cpuCores: 0.025 } },
    ]);
    const { report } = rightsize({
      objects: live,
      targets: [target!],
      usage: [usage(live)],
      source: {
        kind: 'prometheus',
        url: null,
        shortWindow: false,
        window: { start: NOW - 8 * DAY, end: NOW, step: 3600 },
      },
      limits: 'ratio',
    });
    expect(report.workloads[0]!.verticalPodAutoscaler!.statusTargets).toEqual([
      { container: 'app', target: { cpuCores: 0.587, memoryBytes: 300 * MIB } },
      { container: 'sidecar', target: { cpuCores: 0.025, memoryBytes: null } },
    ]);
    expect(formatText(report)).toContain(
      '    its status (a running recommender) recommends app cpu 587m, memory 300Mi; sidecar cpu 25m, memory —\n',
    );
  });
});
