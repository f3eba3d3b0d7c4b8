import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import type { AnyRule, ClusterFacts } from '../../src/rules/types.js';
import rule from '../../src/rules/sim-stuck.js';
import { testRule } from '../rule-tester.js';

// Both cases carry their topology as Node objects, which is what turns the simulator on.
const bad = `
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels:
    kubernetes.io/hostname: node-1
    topology.kubernetes.io/zone: zone-a
status:
  allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
  labels:
    kubernetes.io/hostname: node-2
    topology.kubernetes.io/zone: zone-b
status:
  allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fail-web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels: { app: web }
              topologyKey: kubernetes.io/hostname
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: { app: web }
`;
const good = `
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels:
    kubernetes.io/hostname: node-1
    topology.kubernetes.io/zone: zone-a
status:
  allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
  labels:
    kubernetes.io/hostname: node-2
    topology.kubernetes.io/zone: zone-b
status:
  allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
---
apiVersion: v1
kind: Node
metadata:
  name: node-3
  labels:
    kubernetes.io/hostname: node-3
    topology.kubernetes.io/zone: zone-c
status:
  allocatable: { cpu: "4", memory: 16Gi, pods: "110" }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pass-web
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          nodeTaintsPolicy: Honor
          labelSelector:
            matchLabels: { app: web }
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: { cpu: 100m, memory: 128Mi }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: { app: web }
`;

testRule(rule, {
  valid: [
    { name: 'spread over three zones with a PDB', yaml: good },
    {
      name: 'no topology in the input: the simulator does not run',
      yaml: bad.split('---').slice(2).join('---'),
    },
  ],
  invalid: [
    {
      name: 'the failure the docs describe',
      yaml: bad,
      errors: [
        {
          object: 'fail-web',
          path: '/spec/replicas',
          message: /drain:node-\d\ndrain blocked|node-loss:node-\d\n1 of 2 ready|rollout/,
        },
      ],
    },
  ],
});

/** The finding as users see it: `message` is the headline alone, `detail` the why and the how. */
function findingsOf(text: string, cluster?: ClusterFacts) {
  const { objects } = parseManifests(text, 'manifests.yaml');
  return check(objects, { rules: [rule as AnyRule], ...(cluster ? { cluster } : {}) }).findings;
}

describe('sim-stuck: headline and detail', () => {
  it('the headline states what is wrong and names the object; the detail says why and how to fix it', () => {
    const [finding, ...rest] = findingsOf(bad);
    expect(rest).toEqual([]);
    // The scenario's node is whichever the simulator put the pods on: the headline names it, briefly.
    expect(finding?.message).toMatch(/^Deployment fail-web: stuck in [\w:-]+$/);
    expect(finding?.message.length).toBeLessThanOrEqual(120);
    expect(finding?.detail).toMatch(/\.$/);
  });
});
