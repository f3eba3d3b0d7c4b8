import { ObjectIndex } from '../../src/model/object-index.js';
import { parseManifests } from '../../src/sources/parse.js';
import { SimContext } from '../../src/simulate/context.js';
import { scheduleOne } from '../../src/simulate/scheduler/framework.js';
import { simulate, type SimOptions, type Topology } from '../../src/simulate/index.js';
import { HOSTNAME_LABEL, ZONE_LABEL, type NodeSpec } from '../../src/simulate/types.js';

export function node(name: string, zone: string, extra: Partial<NodeSpec> = {}): NodeSpec {
  return {
    name,
    labels: { [HOSTNAME_LABEL]: name, [ZONE_LABEL]: zone, ...(extra.labels ?? {}) },
    taints: extra.taints ?? [],
    cpu: extra.cpu ?? 4000,
    memory: extra.memory ?? 16 * 2 ** 30,
    pods: extra.pods ?? 110,
    ...(extra.unschedulable ? { unschedulable: true } : {}),
  };
}

export function topo(nodes: NodeSpec[]): Topology {
  return { nodes, background: [] };
}

export function objects(yaml: string) {
  const r = parseManifests(yaml, 'test.yaml');
  if (r.problems.length) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.objects;
}

export function run(yaml: string, topology: Topology, options: SimOptions = {}) {
  return simulate(objects(yaml), topology, options);
}

/** A context with the workloads placed, for scheduler-level assertions. */
export function placed(yaml: string, topology: Topology, options: SimOptions = {}) {
  const ctx = new SimContext(new ObjectIndex(objects(yaml)), topology, options);
  ctx.placeAll();
  const where = (name: string) =>
    ctx.workloads
      .find((w) => w.name === name)!
      .pods.map((p) => (p.node >= 0 ? ctx.state.names[p.node]! : 'Pending'))
      .sort();
  return { ctx, where };
}

/** Schedules one more pod of a workload and returns kube-scheduler's result. */
export function tryOne(ctx: SimContext, name: string) {
  const wl = ctx.workloads.find((w) => w.name === name)!;
  const r = scheduleOne(ctx.state, wl.cls, ctx.sched);
  return r.node >= 0 ? ctx.state.names[r.node]! : 'message' in r ? r.message : '';
}

export function deployment(name: string, replicas: number, podSpec: string, extra = ''): string {
  const indented = podSpec
    .trim()
    .split('\n')
    .map((l) => '      ' + l)
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
${extra}  template:
    metadata:
      labels: { app: ${name} }
    spec:
${indented}
`;
}

/** A StatefulSet in namespace shop whose pods are labelled app: <name>. */
export const statefulSet = (name: string, replicas: number, podSpec: string): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${podSpec
  .trim()
  .split('\n')
  .map((l) => '      ' + l)
  .join('\n')}
`;
