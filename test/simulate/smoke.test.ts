import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/sources/parse.js';
import { simulate, shorthandTopology } from '../../src/simulate/index.js';

const web = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector: { matchLabels: { app: web } }
      containers:
        - name: web
          image: nginx
          resources: { requests: { cpu: 500m, memory: 512Mi } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: shop }
spec:
  maxUnavailable: 1
  selector: { matchLabels: { app: web } }
`;

describe('smoke', () => {
  it('runs', () => {
    const { objects } = parseManifests(web, 'web.yaml');
    const r = simulate(objects, shorthandTopology({ nodes: 6, zones: 3 }));
    console.log(JSON.stringify(r.placement, null, 1));
    for (const s of r.scenarios) for (const w of s.workloads) console.log(s.id, w.verdict, w.reason);
    expect(r.workloads.length).toBe(1);
  });
});
