import { describe, expect, it } from 'vitest';
import {
  apiStatus,
  DEPRECATED_APIS,
  findDeprecatedApi,
  replacementAt,
} from '../../src/model/deprecated-apis.js';
import { atLeast } from '../../src/model/kube-versions.js';

/** Every removal in Kubernetes' Deprecated API Migration Guide, v1.16 to v1.32, as [apiVersion, kind, removed]. */
const GUIDE_REMOVALS: [string, string, string][] = [
  ['extensions/v1beta1', 'NetworkPolicy', '1.16'],
  ['extensions/v1beta1', 'DaemonSet', '1.16'],
  ['apps/v1beta2', 'DaemonSet', '1.16'],
  ['extensions/v1beta1', 'Deployment', '1.16'],
  ['apps/v1beta1', 'Deployment', '1.16'],
  ['apps/v1beta2', 'Deployment', '1.16'],
  ['apps/v1beta1', 'StatefulSet', '1.16'],
  ['apps/v1beta2', 'StatefulSet', '1.16'],
  ['extensions/v1beta1', 'ReplicaSet', '1.16'],
  ['apps/v1beta1', 'ReplicaSet', '1.16'],
  ['apps/v1beta2', 'ReplicaSet', '1.16'],
  ['extensions/v1beta1', 'PodSecurityPolicy', '1.16'],
  ['admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration', '1.22'],
  ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', '1.22'],
  ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.22'],
  ['apiregistration.k8s.io/v1beta1', 'APIService', '1.22'],
  ['authentication.k8s.io/v1beta1', 'TokenReview', '1.22'],
  ['authorization.k8s.io/v1beta1', 'LocalSubjectAccessReview', '1.22'],
  ['authorization.k8s.io/v1beta1', 'SelfSubjectAccessReview', '1.22'],
  ['authorization.k8s.io/v1beta1', 'SubjectAccessReview', '1.22'],
  ['authorization.k8s.io/v1beta1', 'SelfSubjectRulesReview', '1.22'],
  ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', '1.22'],
  ['coordination.k8s.io/v1beta1', 'Lease', '1.22'],
  ['extensions/v1beta1', 'Ingress', '1.22'],
  ['networking.k8s.io/v1beta1', 'Ingress', '1.22'],
  ['networking.k8s.io/v1beta1', 'IngressClass', '1.22'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', '1.22'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', '1.22'],
  ['rbac.authorization.k8s.io/v1beta1', 'Role', '1.22'],
  ['rbac.authorization.k8s.io/v1beta1', 'RoleBinding', '1.22'],
  ['scheduling.k8s.io/v1beta1', 'PriorityClass', '1.22'],
  ['storage.k8s.io/v1beta1', 'CSIDriver', '1.22'],
  ['storage.k8s.io/v1beta1', 'CSINode', '1.22'],
  ['storage.k8s.io/v1beta1', 'StorageClass', '1.22'],
  ['storage.k8s.io/v1beta1', 'VolumeAttachment', '1.22'],
  ['batch/v1beta1', 'CronJob', '1.25'],
  ['discovery.k8s.io/v1beta1', 'EndpointSlice', '1.25'],
  ['events.k8s.io/v1beta1', 'Event', '1.25'],
  ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25'],
  ['policy/v1beta1', 'PodDisruptionBudget', '1.25'],
  ['policy/v1beta1', 'PodSecurityPolicy', '1.25'],
  ['node.k8s.io/v1beta1', 'RuntimeClass', '1.25'],
  ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', '1.26'],
  ['flowcontrol.apiserver.k8s.io/v1beta1', 'PriorityLevelConfiguration', '1.26'],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26'],
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.29'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration', '1.29'],
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32'],
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', '1.32'],
];

describe('deprecated API table', () => {
  it('covers every removal of the migration guide with its release', () => {
    for (const [apiVersion, kind, removed] of GUIDE_REMOVALS) {
      expect(findDeprecatedApi(apiVersion, kind)?.removed, `${apiVersion} ${kind}`).toBe(removed);
    }
  });

  it('has one row per apiVersion and kind', () => {
    const keys = DEPRECATED_APIS.map((d) => `${d.apiVersion} ${d.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('deprecates before it removes, and offers at removal a replacement the removing release serves', () => {
    for (const d of DEPRECATED_APIS.filter((x) => x.component === 'kubernetes')) {
      if (d.removed) expect(atLeast(d.removed, d.deprecated), `${d.apiVersion} ${d.kind}`).toBe(true);
      if (d.removed && d.replacements?.length) {
        expect(replacementAt(d, d.removed), `${d.apiVersion} ${d.kind} at ${d.removed}`).toBeDefined();
      }
    }
  });

  it('does not list GA versions that are still served as removed', () => {
    for (const d of DEPRECATED_APIS) {
      if (/^v\d+$/.test(d.apiVersion.split('/').pop()!)) expect(d.removed).toBeUndefined();
    }
  });
});

describe('apiStatus', () => {
  const pdb = findDeprecatedApi('policy/v1beta1', 'PodDisruptionBudget')!;

  it('is served before the deprecation, deprecated until the removal, removed from it on', () => {
    expect(apiStatus(pdb, '1.20')).toBe('served');
    expect(apiStatus(pdb, '1.21')).toBe('deprecated');
    expect(apiStatus(pdb, '1.24')).toBe('deprecated');
    expect(apiStatus(pdb, '1.25')).toBe('removed');
    expect(apiStatus(pdb, 'v1.30.2-eks-1')).toBe('removed');
  });

  it('never removes an API with no scheduled removal', () => {
    const ep = findDeprecatedApi('v1', 'Endpoints')!;
    expect(apiStatus(ep, '1.32')).toBe('served');
    expect(apiStatus(ep, '1.99')).toBe('deprecated');
  });

  it('judges add-on APIs by the add-on, whatever the Kubernetes target', () => {
    expect(apiStatus(findDeprecatedApi('cert-manager.io/v1alpha2', 'Issuer')!, '1.16')).toBe('removed');
    expect(apiStatus(findDeprecatedApi('autoscaling.k8s.io/v1beta2', 'VerticalPodAutoscaler')!, '1.16')).toBe(
      'deprecated',
    );
  });

  it('calls a version the API server leaves off by default "off" until its removal', () => {
    const claim = findDeprecatedApi('resource.k8s.io/v1beta1', 'ResourceClaim')!;
    expect(apiStatus(claim, '1.33')).toBe('off');
    expect(apiStatus(claim, '1.36')).toBe('off');
    expect(apiStatus(claim, '1.38')).toBe('removed');
    // Betas from before 1.24 were served by default: deprecated, then removed.
    expect(apiStatus(findDeprecatedApi('batch/v1beta1', 'CronJob')!, '1.22')).toBe('deprecated');
  });

  it('says nothing about an unparseable target', () => {
    expect(apiStatus(pdb, 'latest')).toBe('served');
  });
});

describe('replacementAt', () => {
  it('advises the newest replacement the target serves', () => {
    const fs = findDeprecatedApi('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema')!;
    expect(replacementAt(fs, '1.23')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1beta2');
    expect(replacementAt(fs, '1.26')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(replacementAt(fs, '1.34')?.apiVersion).toBe('flowcontrol.apiserver.k8s.io/v1');
  });

  it('drops a replacement once it was removed itself', () => {
    const psp = findDeprecatedApi('extensions/v1beta1', 'PodSecurityPolicy')!;
    expect(replacementAt(psp, '1.16')?.apiVersion).toBe('policy/v1beta1');
    expect(replacementAt(psp, '1.25')).toBeUndefined();
  });

  it('names the new kind when it changes', () => {
    expect(replacementAt(findDeprecatedApi('v1', 'Endpoints')!, '1.33')).toEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      since: '1.21',
    });
  });
});
