import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import rule from '../../src/rules/deprecated-api.js';
import hpaMissing from '../../src/rules/hpa-missing.js';
import missingPdb from '../../src/rules/missing-pdb.js';
import { parseManifests } from '../../src/sources/parse.js';
import { runRule, testRule, yaml } from '../rule-tester.js';

// Removal and deprecation releases: Kubernetes' Deprecated API Migration Guide and the
// APILifecycleDeprecated/APILifecycleRemoved values generated into k8s.io/api.
testRule(rule, {
  valid: [
    {
      name: 'current API versions',
      yaml: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: pass-web }
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: { name: pass-pdb }
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: { name: pass-hpa }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: { name: pass-ing }
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: pass-cron }
        ---
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: FlowSchema
        metadata: { name: pass-fs }
      `,
    },
    {
      name: 'policy/v1beta1 PDB targeting 1.20, before its deprecation in 1.21',
      kubeVersion: '1.20',
      yaml: yaml`
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: { name: pass-pdb }
      `,
    },
    {
      name: 'custom resources, whatever their kind is called',
      yaml: yaml`
        apiVersion: example.com/v1beta1
        kind: Deployment
        metadata: { name: pass-crd }
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: { name: pass-vs }
      `,
    },
    {
      name: 'v1 Endpoints targeting 1.32, before its deprecation',
      kubeVersion: 'v1.32.4-eks-1',
      yaml: yaml`
        apiVersion: v1
        kind: Endpoints
        metadata: { name: pass-ep }
      `,
    },
  ],
  invalid: [
    {
      name: "the seed's PDB (policy/v1beta1) at the default target",
      yaml: yaml`
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata:
          name: fail-my-svc-pdb
        spec:
          minAvailable: 3
          selector:
            matchLabels:
              app: my-svc
      `,
      errors: [
        {
          object: 'fail-my-svc-pdb',
          messageId: 'removed',
          severity: 'error',
          line: 1,
          column: 1,
          path: '/apiVersion',
          data: { apiVersion: 'policy/v1beta1', removedIn: '1.25', target: '1.37', replacement: 'policy/v1' },
          message:
            /^PodDisruptionBudget fail-my-svc-pdb: policy\/v1beta1 is no longer served\nKubernetes stopped serving policy\/v1beta1 in 1\.25: a 1\.37 API server rejects it\. Use policy\/v1 \(served since 1\.21\)\. Migration: in policy\/v1 an empty spec\.selector/,
        },
      ],
    },
    {
      name: 'the same PDB while it was deprecated (1.21 to 1.24) is a warning',
      kubeVersion: '1.24',
      yaml: yaml`
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: { name: fail-pdb }
      `,
      errors: [
        {
          object: 'fail-pdb',
          messageId: 'deprecated',
          severity: 'warning',
          data: { deprecatedIn: '1.21', removal: 'removed in 1.25' },
          message: 'Move to policy/v1 (served since 1.21) before upgrading.',
        },
      ],
    },
    {
      name: 'a v1beta1 PDB with an empty selector gets the selector warning spelled out',
      yaml: yaml`
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: { name: fail-pdb }
        spec:
          maxUnavailable: 1
          selector: {}
      `,
      errors: [
        { object: 'fail-pdb', message: 'selects no pods in policy/v1beta1 but every pod in the namespace' },
      ],
    },
    {
      name: 'every workload version removed in 1.16, with the apps/v1 notes',
      yaml: yaml`
        apiVersion: extensions/v1beta1
        kind: Deployment
        metadata: { name: fail-ext-deploy }
        ---
        apiVersion: apps/v1beta1
        kind: Deployment
        metadata: { name: fail-beta1-deploy }
        ---
        apiVersion: apps/v1beta2
        kind: Deployment
        metadata: { name: fail-beta2-deploy }
        ---
        apiVersion: extensions/v1beta1
        kind: DaemonSet
        metadata: { name: fail-ext-ds }
        ---
        apiVersion: apps/v1beta2
        kind: DaemonSet
        metadata: { name: fail-beta2-ds }
        ---
        apiVersion: apps/v1beta1
        kind: StatefulSet
        metadata: { name: fail-beta1-sts }
        ---
        apiVersion: apps/v1beta2
        kind: StatefulSet
        metadata: { name: fail-beta2-sts }
        ---
        apiVersion: extensions/v1beta1
        kind: ReplicaSet
        metadata: { name: fail-ext-rs }
        ---
        apiVersion: apps/v1beta2
        kind: ReplicaSet
        metadata: { name: fail-beta2-rs }
        ---
        apiVersion: extensions/v1beta1
        kind: NetworkPolicy
        metadata: { name: fail-netpol }
      `,
      errors: [
        {
          object: 'fail-ext-deploy',
          data: { removedIn: '1.16' },
          message: 'maxSurge and maxUnavailable 25%',
        },
        {
          object: 'fail-beta1-deploy',
          message: 'revisionHistoryLimit defaults to 10 (was 2 in apps/v1beta1)',
        },
        { object: 'fail-beta2-deploy', message: 'spec.selector is required' },
        { object: 'fail-ext-ds', message: 'updateStrategy.type defaults to RollingUpdate' },
        { object: 'fail-beta2-ds', line: 17 },
        { object: 'fail-beta1-sts', message: 'was OnDelete in apps/v1beta1' },
        { object: 'fail-beta2-sts' },
        { object: 'fail-ext-rs' },
        { object: 'fail-beta2-rs' },
        { object: 'fail-netpol', data: { replacement: 'networking.k8s.io/v1' } },
      ],
    },
    {
      name: 'removals in 1.22: Ingress in both old groups, RBAC, webhooks, CRDs',
      yaml: yaml`
        apiVersion: extensions/v1beta1
        kind: Ingress
        metadata: { name: fail-ext-ing }
        ---
        apiVersion: networking.k8s.io/v1beta1
        kind: Ingress
        metadata: { name: fail-net-ing }
        ---
        apiVersion: rbac.authorization.k8s.io/v1beta1
        kind: ClusterRoleBinding
        metadata: { name: fail-crb }
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: ValidatingWebhookConfiguration
        metadata: { name: fail-vwc }
        ---
        apiVersion: apiextensions.k8s.io/v1beta1
        kind: CustomResourceDefinition
        metadata: { name: fail-crd }
        ---
        apiVersion: scheduling.k8s.io/v1beta1
        kind: PriorityClass
        metadata: { name: fail-pc }
      `,
      errors: [
        {
          object: 'fail-ext-ing',
          data: { removedIn: '1.22' },
          message: 'spec.backend becomes spec.defaultBackend',
        },
        { object: 'fail-net-ing', data: { replacement: 'networking.k8s.io/v1' }, message: 'pathType' },
        { object: 'fail-crb', data: { replacement: 'rbac.authorization.k8s.io/v1' } },
        { object: 'fail-vwc', message: 'sideEffects' },
        { object: 'fail-crd', message: 'structural schema' },
        { object: 'fail-pc', data: { replacement: 'scheduling.k8s.io/v1' } },
      ],
    },
    {
      name: 'removals in 1.25 and 1.26: CronJob, HPA v2beta1 and v2beta2 (with the metrics shape), PSP without replacement',
      yaml: yaml`
        apiVersion: batch/v1beta1
        kind: CronJob
        metadata: { name: fail-cron }
        ---
        apiVersion: autoscaling/v2beta1
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-hpa1 }
        ---
        apiVersion: autoscaling/v2beta2
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-hpa2 }
        ---
        apiVersion: policy/v1beta1
        kind: PodSecurityPolicy
        metadata: { name: fail-psp }
      `,
      errors: [
        { object: 'fail-cron', data: { removedIn: '1.25', replacement: 'batch/v1' } },
        {
          object: 'fail-hpa1',
          data: { removedIn: '1.25', replacement: 'autoscaling/v2' },
          message: 'targetAverageUtilization becomes target: { type: Utilization, averageUtilization }',
        },
        { object: 'fail-hpa2', data: { removedIn: '1.26' }, message: 'metrics shape' },
        {
          object: 'fail-psp',
          data: { replacement: '' },
          message:
            'There is no replacement at this version: remove the object. Migration: no replacement: enforce Pod Security Standards with Pod Security Admission',
        },
      ],
    },
    {
      name: 'flow control: each version advises the newest one its target serves',
      kubeVersion: '1.26',
      yaml: yaml`
        apiVersion: flowcontrol.apiserver.k8s.io/v1beta1
        kind: FlowSchema
        metadata: { name: fail-fs-b1 }
        ---
        apiVersion: flowcontrol.apiserver.k8s.io/v1beta2
        kind: PriorityLevelConfiguration
        metadata: { name: fail-plc-b2 }
      `,
      errors: [
        {
          object: 'fail-fs-b1',
          messageId: 'removed',
          data: { replacement: 'flowcontrol.apiserver.k8s.io/v1beta3' },
          message: 'assuredConcurrencyShares is renamed nominalConcurrencyShares',
        },
        {
          object: 'fail-plc-b2',
          messageId: 'deprecated',
          severity: 'warning',
          data: { replacement: 'flowcontrol.apiserver.k8s.io/v1beta3', removal: 'removed in 1.29' },
        },
      ],
    },
    {
      name: 'flow control v1beta3 removed in 1.32, CSIStorageCapacity v1beta1 in 1.27',
      yaml: yaml`
        apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
        kind: FlowSchema
        metadata: { name: fail-fs-b3 }
        ---
        apiVersion: storage.k8s.io/v1beta1
        kind: CSIStorageCapacity
        metadata: { name: fail-csc }
      `,
      errors: [
        { object: 'fail-fs-b3', data: { removedIn: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1' } },
        { object: 'fail-csc', data: { removedIn: '1.27', replacement: 'storage.k8s.io/v1' } },
      ],
    },
    {
      name: 'ValidatingAdmissionPolicy v1beta1: deprecated in 1.31, removed by its lifecycle in 1.34',
      yaml: yaml`
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: ValidatingAdmissionPolicy
        metadata: { name: fail-vap }
      `,
      errors: [{ object: 'fail-vap', messageId: 'removed', data: { removedIn: '1.34' } }],
    },
    {
      name: 'betas introduced after 1.24 are off by default: errors at 1.34 already (a default cluster does not serve them)',
      kubeVersion: '1.34',
      yaml: yaml`
        apiVersion: storage.k8s.io/v1beta1
        kind: VolumeAttributesClass
        metadata: { name: fail-vac }
        ---
        apiVersion: networking.k8s.io/v1beta1
        kind: ServiceCIDR
        metadata: { name: fail-cidr }
      `,
      errors: [
        { object: 'fail-vac', messageId: 'off', severity: 'error', data: { target: '1.34' } },
        { object: 'fail-cidr', messageId: 'off', data: { replacement: 'networking.k8s.io/v1' } },
      ],
    },
    {
      name: 'the same at a 1.37 target',
      kubeVersion: '1.37',
      yaml: yaml`
        apiVersion: storage.k8s.io/v1beta1
        kind: VolumeAttributesClass
        metadata: { name: fail-vac }
      `,
      errors: [{ object: 'fail-vac', messageId: 'removed', severity: 'error', data: { target: '1.37' } }],
    },
    {
      name: 'extensions/v1beta1 HPA and Job (removed in 1.6): errors naming the replacement served today',
      kubeVersion: '1.36',
      yaml: yaml`
        apiVersion: extensions/v1beta1
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-hpa }
        ---
        apiVersion: extensions/v1beta1
        kind: Job
        metadata: { name: fail-job }
      `,
      errors: [
        {
          object: 'fail-hpa',
          messageId: 'removed',
          severity: 'error',
          data: { removedIn: '1.6', replacement: 'autoscaling/v2', target: '1.36' },
        },
        { object: 'fail-job', messageId: 'removed', data: { replacement: 'batch/v1' } },
      ],
    },
    {
      name: 'alpha versions removed without deprecation: rbac v1alpha1 (1.23), batch/v2alpha1 (1.21), ClusterCIDR (1.29)',
      kubeVersion: '1.36',
      yaml: yaml`
        apiVersion: rbac.authorization.k8s.io/v1alpha1
        kind: ClusterRole
        metadata: { name: fail-role }
        ---
        apiVersion: batch/v2alpha1
        kind: CronJob
        metadata: { name: fail-cron }
        ---
        apiVersion: networking.k8s.io/v1alpha1
        kind: ClusterCIDR
        metadata: { name: fail-cidr }
      `,
      errors: [
        { object: 'fail-role', messageId: 'removed', data: { removedIn: '1.23' } },
        { object: 'fail-cron', messageId: 'removed', data: { replacement: 'batch/v1' } },
        {
          object: 'fail-cidr',
          messageId: 'removed',
          data: { advice: 'There is no replacement at this version: remove the object.' },
        },
      ],
    },
    {
      name: 'an alpha version before its removal is off by default: an error, not a deprecation warning',
      kubeVersion: '1.22',
      yaml: yaml`
        apiVersion: rbac.authorization.k8s.io/v1alpha1
        kind: Role
        metadata: { name: fail-role }
        ---
        apiVersion: rbac.authorization.k8s.io/v1beta1
        kind: Role
        metadata: { name: fail-beta }
      `,
      errors: [
        { object: 'fail-role', messageId: 'off', severity: 'error' },
        { object: 'fail-beta', messageId: 'removed', severity: 'error' },
      ],
    },
    {
      name: 'betas new in 1.33-1.36 (DRA, LeaseCandidate, MutatingAdmissionPolicy) are off at 1.36',
      kubeVersion: '1.36',
      yaml: yaml`
        apiVersion: resource.k8s.io/v1beta2
        kind: ResourceClaim
        metadata: { name: fail-claim }
        ---
        apiVersion: coordination.k8s.io/v1beta1
        kind: LeaseCandidate
        metadata: { name: fail-lc }
        ---
        apiVersion: admissionregistration.k8s.io/v1beta1
        kind: MutatingAdmissionPolicy
        metadata: { name: fail-map }
      `,
      errors: [
        { object: 'fail-claim', messageId: 'off', data: { replacement: 'resource.k8s.io/v1' } },
        {
          object: 'fail-lc',
          messageId: 'off',
          data: {
            advice:
              'There is no generally available version yet: enable it on the cluster or remove the object.',
          },
        },
        { object: 'fail-map', messageId: 'off', data: { replacement: 'admissionregistration.k8s.io/v1' } },
      ],
    },
    {
      name: 'a version or kind no Kubernetes release served in a Kubernetes group: kubectl finds no such kind',
      yaml: yaml`
        apiVersion: apps/v1beta3
        kind: Deployment
        metadata: { name: fail-deploy }
        ---
        apiVersion: v2
        kind: ConfigMap
        metadata: { name: fail-cm }
        ---
        apiVersion: policy/v1beta1
        kind: Eviction
        metadata: { name: fail-eviction }
      `,
      errors: [
        { object: 'fail-deploy', messageId: 'unknown', severity: 'error', data: { advice: 'Use apps/v1.' } },
        { object: 'fail-cm', messageId: 'unknown', data: { advice: 'Use v1.' } },
        {
          object: 'fail-eviction',
          messageId: 'unknown',
          data: { advice: 'Check the kind and its API group.' },
        },
      ],
    },
    {
      name: 'v1 Endpoints: deprecated since 1.33 with no removal, advice names the new kind',
      yaml: yaml`
        apiVersion: v1
        kind: Endpoints
        metadata: { name: fail-ep }
      `,
      errors: [
        {
          object: 'fail-ep',
          messageId: 'deprecated',
          severity: 'warning',
          data: {
            replacement: 'discovery.k8s.io/v1 EndpointSlice',
            removal: 'still served (no removal is scheduled)',
          },
        },
      ],
    },
    {
      name: 'an old target gets a replacement its cluster serves (apps/v1beta2 at 1.8)',
      kubeVersion: '1.8',
      yaml: yaml`
        apiVersion: extensions/v1beta1
        kind: Deployment
        metadata: { name: fail-deploy }
      `,
      errors: [{ object: 'fail-deploy', messageId: 'deprecated', data: { replacement: 'apps/v1beta2' } }],
    },
    {
      name: 'autoscaling/v2beta1 at 1.22, before autoscaling/v2 existed',
      kubeVersion: '1.22',
      yaml: yaml`
        apiVersion: autoscaling/v2beta1
        kind: HorizontalPodAutoscaler
        metadata: { name: fail-hpa }
      `,
      errors: [{ object: 'fail-hpa', messageId: 'deprecated', data: { replacement: 'autoscaling/v2beta2' } }],
    },
    {
      name: 'extensions/v1beta1 PodSecurityPolicy: policy/v1beta1 is advised only while it was served',
      kubeVersion: '1.16',
      yaml: yaml`
        apiVersion: extensions/v1beta1
        kind: PodSecurityPolicy
        metadata: { name: fail-psp }
      `,
      errors: [{ object: 'fail-psp', data: { replacement: 'policy/v1beta1' } }],
    },
    {
      name: 'extensions/v1beta1 PodSecurityPolicy at the default target has no replacement left',
      yaml: yaml`
        apiVersion: extensions/v1beta1
        kind: PodSecurityPolicy
        metadata: { name: fail-psp }
      `,
      errors: [{ object: 'fail-psp', data: { replacement: '' }, message: 'no replacement' }],
    },
    {
      name: 'add-ons: cert-manager pre-v1 versions (removed in cert-manager 1.6) and VPA versions',
      yaml: yaml`
        apiVersion: cert-manager.io/v1alpha2
        kind: Certificate
        metadata: { name: fail-cert }
        ---
        apiVersion: acme.cert-manager.io/v1beta1
        kind: Order
        metadata: { name: fail-order }
        ---
        apiVersion: autoscaling.k8s.io/v1beta2
        kind: VerticalPodAutoscaler
        metadata: { name: fail-vpa2 }
        ---
        apiVersion: autoscaling.k8s.io/v1beta1
        kind: VerticalPodAutoscaler
        metadata: { name: fail-vpa1 }
      `,
      errors: [
        {
          object: 'fail-cert',
          messageId: 'addonRemoved',
          severity: 'error',
          data: { component: 'cert-manager', removedIn: '1.6', replacement: 'cert-manager.io/v1' },
          message: 'cmctl convert',
        },
        { object: 'fail-order', messageId: 'addonRemoved', data: { replacement: 'acme.cert-manager.io/v1' } },
        {
          object: 'fail-vpa2',
          messageId: 'addonDeprecated',
          severity: 'warning',
          data: { component: 'vertical-pod-autoscaler', deprecatedIn: '0.13' },
        },
        { object: 'fail-vpa1', messageId: 'addonRemoved', message: 'ConfigUnsupported' },
      ],
    },
    {
      name: 'items of a List are checked one by one, at their own lines',
      yaml: yaml`
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: { name: pass-web }
          - apiVersion: batch/v1beta1
            kind: CronJob
            metadata: { name: fail-cron }
      `,
      errors: [{ object: 'fail-cron', line: 7, column: 5 }],
    },
  ],
});

describe('deprecated-api on the seed', () => {
  it('flags examples/seed/my-svc-pdb.yaml as an error at the default target version', () => {
    const text = readFileSync(join(import.meta.dirname, '../../examples/seed/my-svc-pdb.yaml'), 'utf8');
    const reports = runRule(rule, { name: 'seed', yaml: text });
    expect(reports.map((r) => [r.object.name, r.severity, r.line, r.messageId])).toEqual([
      ['my-svc-pdb', 'error', 1, 'removed'],
    ]);
  });

  it('treats an unparseable target version as the default rather than going quiet', () => {
    const reports = runRule(rule, {
      name: 'typo',
      kubeVersion: 'latest',
      yaml: 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: { name: x }\n',
    });
    expect(reports.map((r) => r.messageId)).toEqual(['removed']);
  });
});

// A PDB or an HPA on a version the target's API server refuses never reaches the cluster: the other
// rules' joins leave it out, and their findings name it and its version rather than say nothing exists.
describe('objects on refused versions are left out of other rules joins, and the findings say so', () => {
  const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;
  const render = (r: { rendered: string }): string => r.rendered;

  it('hpa-missing: an extensions/v1beta1 HPA (scaleRef) is not the Deployment autoscaler at 1.36', () => {
    const text = `${deployment}---
apiVersion: extensions/v1beta1
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleRef: { kind: Deployment, name: web, subresource: scale }
  minReplicas: 2
  maxReplicas: 10
`;
    const reports = runRule(hpaMissing, { name: 'ext', kubeVersion: '1.36', yaml: text });
    expect(reports.map((r) => r.messageId)).toEqual(['unserved']);
    expect(render(reports[0]!)).toContain(
      'Its HPA web uses extensions/v1beta1, which Kubernetes 1.36 no longer serves',
    );
  });

  it('hpa-missing: an autoscaling/v2beta2 HPA counts at 1.25 (still served) and not at 1.26', () => {
    const text = `${deployment}---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 10
`;
    expect(runRule(hpaMissing, { name: '1.25', kubeVersion: '1.25', yaml: text })).toEqual([]);
    const at126 = runRule(hpaMissing, { name: '1.26', kubeVersion: '1.26', yaml: text });
    expect(at126.map((r) => r.messageId)).toEqual(['unserved']);
    expect(render(at126[0]!)).toContain('autoscaling/v2beta2, which Kubernetes 1.26 no longer serves');
  });

  it('missing-pdb: a policy/v1beta1 PDB does not protect at 1.25+, and the finding names it', () => {
    const text = `${deployment}---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: { name: web-pdb }
spec:
  maxUnavailable: 1
  selector: { matchLabels: { app: web } }
`;
    expect(runRule(missingPdb, { name: '1.24', kubeVersion: '1.24', yaml: text })).toEqual([]);
    const reports = runRule(missingPdb, { name: '1.36', kubeVersion: '1.36', yaml: text });
    expect(reports.map((r) => r.messageId)).toEqual(['unserved']);
    expect(render(reports[0]!)).toContain(
      'its PodDisruptionBudget web-pdb uses policy/v1beta1, which Kubernetes 1.36 no longer serves',
    );
  });

  it('an HPA on a refused version sets no replica ceiling for missing-pdb either', () => {
    const text = `${deployment.replace('replicas: 3', 'replicas: 1')}---
apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 10
`;
    // Served (1.24): the HPA's maxReplicas 10 is the most pods, so a PDB is missing.
    expect(
      runRule(missingPdb, { name: '1.24', kubeVersion: '1.24', yaml: text }).map((r) => r.messageId),
    ).toEqual(['missing']);
    // Refused (1.25): one replica and no autoscaler, so no budget is asked for.
    expect(runRule(missingPdb, { name: '1.25', kubeVersion: '1.25', yaml: text })).toEqual([]);
  });
});

describe('deprecated-api: headline and detail', () => {
  it('the headline names the object and its apiVersion; the release, the target and the advice are the detail', () => {
    const text = yaml`
      apiVersion: policy/v1beta1
      kind: PodDisruptionBudget
      metadata: { name: web-pdb }
      spec: { minAvailable: 1, selector: { matchLabels: { app: web } } }
    `;
    const { objects, problems } = parseManifests(text, 'old.yaml');
    const [f] = check(objects, { problems, kubeVersion: '1.30' }).findings.filter(
      (x) => x.rule === 'deprecated-api',
    );
    expect(f?.message).toBe('PodDisruptionBudget web-pdb: policy/v1beta1 is no longer served');
    expect(f?.detail).toMatch(
      /^Kubernetes stopped serving policy\/v1beta1 in 1\.25: a 1\.30 API server rejects it\. Use policy\/v1 \(served since 1\.21\)\. Migration: /,
    );
  });
});
