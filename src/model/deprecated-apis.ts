import { atLeast, parseMinor } from './kube-versions.js';
import { loadArtifact } from './openapi/load.js';

/**
 * API versions that Kubernetes (or a well-known add-on) deprecated or stopped serving.
 *
 * Sources, so the table can be re-checked:
 * - Kubernetes' "Deprecated API Migration Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide)
 *   for every removal from 1.16 to 1.32 and the notable field changes;
 * - the `APILifecycleDeprecated` / `APILifecycleRemoved` values generated into k8s.io/api
 *   (`zz_generated.prerelease-lifecycle.go`, v0.24 and v0.37), k8s.io/apiextensions-apiserver and
 *   k8s.io/kube-aggregator for the deprecation releases and for the beta and alpha versions removed
 *   after 1.32: since 1.22 the API server stops serving a pre-release version by itself once its
 *   declared removal release arrives (kubernetes/kubernetes#82021);
 * - the "v1 Endpoints is deprecated in v1.33+" warning the API server returns for core v1 Endpoints;
 * - cert-manager's "Migrating Deprecated API Resources" and VPA's release notes for the add-ons.
 */
export interface DeprecatedApi {
  apiVersion: string;
  kind: string;
  /** Who serves the API: Kubernetes itself, or an add-on whose versions `deprecated`/`removed` count in. */
  component: 'kubernetes' | 'cert-manager' | 'vertical-pod-autoscaler';
  /** Release that deprecated it ("1.21"); for add-ons the add-on's release. */
  deprecated: string;
  /** Release that stopped serving it; undefined when no removal is scheduled (GA APIs are never removed). */
  removed?: string;
  /**
   * Where to move, newest first: the first one served at the target version is the advice. Empty or
   * undefined when there is no replacement (PodSecurityPolicy).
   */
  replacements?: readonly Replacement[];
  /** Field changes to make while migrating, as the migration guide lists them. */
  notes?: string;
  /**
   * The API server does not serve this version unless `--runtime-config` enables it: every alpha
   * version, and every beta version introduced since 1.24 (KEP-3136; the lists of disabled versions in
   * kube-apiserver's pkg/controlplane/instance.go). A default cluster refuses objects on it even before
   * their removal.
   */
  offByDefault?: true;
}

export interface Replacement {
  apiVersion: string;
  /** Set when the replacement is a different kind (Endpoints → EndpointSlice). */
  kind?: string;
  /** Kubernetes release that first served it (by default); undefined for add-ons. */
  since?: string;
  /** Kubernetes release that stopped serving it, when the replacement was itself removed. */
  until?: string;
}

/**
 * `off`: not removed at the target, but a version the API server serves only when its runtime
 * configuration enables it (alpha, or beta since 1.24), so a default cluster refuses the object.
 */
export type ApiStatus = 'removed' | 'off' | 'deprecated' | 'served';

const K = 'kubernetes' as const;

/** apps/v1 came in 1.9; a 1.8 target still needs apps/v1beta2. */
const APPS_V1_OR_BETA2: readonly Replacement[] = [
  { apiVersion: 'apps/v1', since: '1.9' },
  { apiVersion: 'apps/v1beta2', since: '1.8', until: '1.16' },
];

/** FlowSchema and PriorityLevelConfiguration versions, newest first, with the release that first served each. */
const FLOWCONTROL: readonly Replacement[] = [
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', since: '1.29' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', since: '1.26' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', since: '1.23' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', since: '1.20' },
];

const APPS_V1_SELECTOR =
  'spec.selector is required and immutable in apps/v1: copy the template labels into it';

const NOTES = {
  deploymentExtensions: `${APPS_V1_SELECTOR}; spec.rollbackTo is gone; defaults change: maxSurge and maxUnavailable 25% (was 1), revisionHistoryLimit 10 (was unlimited), progressDeadlineSeconds 600`,
  deploymentAppsBeta: `${APPS_V1_SELECTOR}; spec.rollbackTo is gone; revisionHistoryLimit defaults to 10 (was 2 in apps/v1beta1)`,
  daemonSet: `${APPS_V1_SELECTOR}; spec.templateGeneration is gone; updateStrategy.type defaults to RollingUpdate (was OnDelete in extensions/v1beta1)`,
  statefulSet: `${APPS_V1_SELECTOR}; updateStrategy.type defaults to RollingUpdate (was OnDelete in apps/v1beta1)`,
  replicaSet: APPS_V1_SELECTOR,
  ingress:
    'spec.backend becomes spec.defaultBackend; backend serviceName/servicePort become service.name and service.port.number (or service.port.name); every path needs a pathType (ImplementationSpecific keeps the v1beta1 behaviour)',
  pdb: 'in policy/v1 an empty spec.selector ({}) selects every pod in the namespace (in policy/v1beta1 it selected none); an unset selector selects none in both',
  hpaV2beta1:
    'metrics[].resource.targetAverageUtilization becomes target: { type: Utilization, averageUtilization }, targetAverageValue becomes target: { type: AverageValue, averageValue } (the same for pods, object and external metrics)',
  hpaExtensions:
    'spec.scaleRef becomes spec.scaleTargetRef (with apiVersion apps/v1) and spec.cpuUtilization.targetPercentage becomes targetCPUUtilizationPercentage (autoscaling/v1) or a cpu Utilization metric (autoscaling/v2)',
  hpaV2beta2: 'the metrics shape (target: { type, averageUtilization | averageValue | value }) is unchanged',
  psp: 'no replacement: enforce Pod Security Standards with Pod Security Admission (namespace labels pod-security.kubernetes.io/enforce) or a policy engine',
  flowcontrolShares:
    'PriorityLevelConfiguration spec.limited.assuredConcurrencyShares is renamed nominalConcurrencyShares; in v1 it defaults to 30 only when unset (an explicit 0 stays 0)',
  flowcontrolV1: 'in v1 nominalConcurrencyShares defaults to 30 only when unset (an explicit 0 stays 0)',
  crd: 'spec.scope is required; spec.version, validation, subresources and additionalPrinterColumns move under spec.versions[*]; every version needs a structural schema (openAPIV3Schema); preserveUnknownFields: true is not allowed',
  webhook:
    'webhooks[*].sideEffects (None or NoneOnDryRun) and admissionReviewVersions are required; failurePolicy defaults to Fail (was Ignore), matchPolicy to Equivalent, timeoutSeconds to 10',
  csr: 'spec.signerName and spec.usages are required; kubernetes.io/legacy-unknown cannot be requested',
  events:
    'involvedObject becomes regarding; action, reason, reportingController and reportingInstance are required; type is Normal or Warning',
  endpointSlice: 'use the per-endpoint nodeName and zone fields instead of topology',
  endpoints:
    'v1 Endpoints is still served (GA APIs are not removed) but frozen: controllers and proxies read EndpointSlices',
  sar: 'spec.group is renamed spec.groups',
  certManager: 'cert-manager can convert manifests: cmctl convert',
  vpaV1beta1: 'VPA 0.5+ leaves v1beta1 objects without recommendations (ConfigUnsupported condition)',
} as const;

/** One row per apiVersion + kind. Kinds that are only ever created by clients (reviews) are included as the guide lists them. */
export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  // ---- removed in 1.6 (kubernetes/kubernetes#29778 and #32763; the 1.6 release notes: "HorizontalPodAutoscaler
  // is no longer supported in extensions/v1beta1 version. Use autoscaling/v1 instead.")
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'HorizontalPodAutoscaler',
    component: K,
    deprecated: '1.5',
    removed: '1.6',
    replacements: [
      { apiVersion: 'autoscaling/v2', since: '1.23' },
      { apiVersion: 'autoscaling/v1', since: '1.2' },
    ],
    notes: NOTES.hpaExtensions,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'Job',
    component: K,
    deprecated: '1.5',
    removed: '1.6',
    replacements: [{ apiVersion: 'batch/v1', since: '1.2' }],
  },
  // ---- removed in 1.16
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'Deployment',
    component: K,
    deprecated: '1.8',
    removed: '1.16',
    replacements: APPS_V1_OR_BETA2,
    notes: NOTES.deploymentExtensions,
  },
  {
    apiVersion: 'apps/v1beta1',
    kind: 'Deployment',
    component: K,
    deprecated: '1.8',
    removed: '1.16',
    replacements: APPS_V1_OR_BETA2,
    notes: NOTES.deploymentAppsBeta,
  },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'Deployment',
    component: K,
    deprecated: '1.9',
    removed: '1.16',
    replacements: [{ apiVersion: 'apps/v1', since: '1.9' }],
    notes: APPS_V1_SELECTOR,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'DaemonSet',
    component: K,
    deprecated: '1.8',
    removed: '1.16',
    replacements: APPS_V1_OR_BETA2,
    notes: NOTES.daemonSet,
  },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'DaemonSet',
    component: K,
    deprecated: '1.9',
    removed: '1.16',
    replacements: [{ apiVersion: 'apps/v1', since: '1.9' }],
    notes: APPS_V1_SELECTOR,
  },
  {
    apiVersion: 'apps/v1beta1',
    kind: 'StatefulSet',
    component: K,
    deprecated: '1.8',
    removed: '1.16',
    replacements: APPS_V1_OR_BETA2,
    notes: NOTES.statefulSet,
  },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'StatefulSet',
    component: K,
    deprecated: '1.9',
    removed: '1.16',
    replacements: [{ apiVersion: 'apps/v1', since: '1.9' }],
    notes: APPS_V1_SELECTOR,
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'ReplicaSet',
    component: K,
    deprecated: '1.8',
    removed: '1.16',
    replacements: APPS_V1_OR_BETA2,
    notes: NOTES.replicaSet,
  },
  // The guide lists apps/v1beta1 ReplicaSet among the 1.16 removals; the group version was deprecated in 1.8.
  {
    apiVersion: 'apps/v1beta1',
    kind: 'ReplicaSet',
    component: K,
    deprecated: '1.8',
    removed: '1.16',
    replacements: APPS_V1_OR_BETA2,
    notes: NOTES.replicaSet,
  },
  {
    apiVersion: 'apps/v1beta2',
    kind: 'ReplicaSet',
    component: K,
    deprecated: '1.9',
    removed: '1.16',
    replacements: [{ apiVersion: 'apps/v1', since: '1.9' }],
    notes: NOTES.replicaSet,
  },
  ...(
    [
      ['apps/v1beta1', '1.8'],
      ['apps/v1beta2', '1.9'],
    ] as const
  ).map(([apiVersion, deprecated]): DeprecatedApi => ({
    apiVersion,
    kind: 'ControllerRevision',
    component: K,
    deprecated,
    removed: '1.16',
    replacements: [{ apiVersion: 'apps/v1', since: '1.9' }],
  })),
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'NetworkPolicy',
    component: K,
    deprecated: '1.9',
    removed: '1.16',
    replacements: [{ apiVersion: 'networking.k8s.io/v1', since: '1.8' }],
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'PodSecurityPolicy',
    component: K,
    deprecated: '1.11',
    removed: '1.16',
    replacements: [{ apiVersion: 'policy/v1beta1', since: '1.10', until: '1.25' }],
    notes: 'policy/v1beta1 PodSecurityPolicy was itself removed in 1.25: migrate to Pod Security Admission',
  },
  // ---- removed in 1.21 and 1.24 (alpha versions)
  ...(['FlowSchema', 'PriorityLevelConfiguration'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1alpha1',
    kind,
    component: K,
    offByDefault: true,
    deprecated: '1.20',
    removed: '1.21',
    replacements: FLOWCONTROL,
    notes: NOTES.flowcontrolShares,
  })),
  {
    apiVersion: 'storage.k8s.io/v1alpha1',
    kind: 'VolumeAttachment',
    component: K,
    offByDefault: true,
    deprecated: '1.21',
    removed: '1.24',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.13' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1alpha1',
    kind: 'CSIStorageCapacity',
    component: K,
    offByDefault: true,
    deprecated: '1.21',
    removed: '1.24',
    replacements: [
      { apiVersion: 'storage.k8s.io/v1', since: '1.24' },
      { apiVersion: 'storage.k8s.io/v1beta1', since: '1.21' },
    ],
  },
  // ---- removed in 1.22
  ...(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const).map(
    (kind): DeprecatedApi => ({
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind,
      component: K,
      deprecated: '1.16',
      removed: '1.22',
      replacements: [{ apiVersion: 'admissionregistration.k8s.io/v1', since: '1.16' }],
      notes: NOTES.webhook,
    }),
  ),
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kind: 'CustomResourceDefinition',
    component: K,
    deprecated: '1.16',
    removed: '1.22',
    replacements: [{ apiVersion: 'apiextensions.k8s.io/v1', since: '1.16' }],
    notes: NOTES.crd,
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kind: 'APIService',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'apiregistration.k8s.io/v1', since: '1.10' }],
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kind: 'TokenReview',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'authentication.k8s.io/v1', since: '1.6' }],
  },
  ...(
    [
      'SubjectAccessReview',
      'LocalSubjectAccessReview',
      'SelfSubjectAccessReview',
      'SelfSubjectRulesReview',
    ] as const
  ).map((kind): DeprecatedApi => ({
    apiVersion: 'authorization.k8s.io/v1beta1',
    kind,
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'authorization.k8s.io/v1', since: '1.6' }],
    notes: NOTES.sar,
  })),
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kind: 'CertificateSigningRequest',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'certificates.k8s.io/v1', since: '1.19' }],
    notes: NOTES.csr,
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kind: 'Lease',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'coordination.k8s.io/v1', since: '1.14' }],
  },
  {
    apiVersion: 'extensions/v1beta1',
    kind: 'Ingress',
    component: K,
    deprecated: '1.14',
    removed: '1.22',
    replacements: [
      { apiVersion: 'networking.k8s.io/v1', since: '1.19' },
      { apiVersion: 'networking.k8s.io/v1beta1', since: '1.14', until: '1.22' },
    ],
    notes: NOTES.ingress,
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kind: 'Ingress',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'networking.k8s.io/v1', since: '1.19' }],
    notes: NOTES.ingress,
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kind: 'IngressClass',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'networking.k8s.io/v1', since: '1.19' }],
  },
  ...(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kind,
    component: K,
    deprecated: '1.17',
    removed: '1.22',
    replacements: [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }],
  })),
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kind: 'PriorityClass',
    component: K,
    deprecated: '1.14',
    removed: '1.22',
    replacements: [{ apiVersion: 'scheduling.k8s.io/v1', since: '1.14' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kind: 'CSIDriver',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.19' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kind: 'CSINode',
    component: K,
    deprecated: '1.17',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.17' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kind: 'StorageClass',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.6' }],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kind: 'VolumeAttachment',
    component: K,
    deprecated: '1.19',
    removed: '1.22',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.13' }],
  },
  // ---- removed in 1.25
  {
    apiVersion: 'batch/v1beta1',
    kind: 'CronJob',
    component: K,
    deprecated: '1.21',
    removed: '1.25',
    replacements: [{ apiVersion: 'batch/v1', since: '1.21' }],
  },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kind: 'EndpointSlice',
    component: K,
    deprecated: '1.21',
    removed: '1.25',
    replacements: [{ apiVersion: 'discovery.k8s.io/v1', since: '1.21' }],
    notes: NOTES.endpointSlice,
  },
  {
    apiVersion: 'events.k8s.io/v1beta1',
    kind: 'Event',
    component: K,
    deprecated: '1.22',
    removed: '1.25',
    replacements: [{ apiVersion: 'events.k8s.io/v1', since: '1.19' }],
    notes: NOTES.events,
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kind: 'HorizontalPodAutoscaler',
    component: K,
    deprecated: '1.22',
    removed: '1.25',
    replacements: [
      { apiVersion: 'autoscaling/v2', since: '1.23' },
      { apiVersion: 'autoscaling/v2beta2', since: '1.12' },
    ],
    notes: NOTES.hpaV2beta1,
  },
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodDisruptionBudget',
    component: K,
    deprecated: '1.21',
    removed: '1.25',
    replacements: [{ apiVersion: 'policy/v1', since: '1.21' }],
    notes: NOTES.pdb,
  },
  {
    apiVersion: 'policy/v1beta1',
    kind: 'PodSecurityPolicy',
    component: K,
    deprecated: '1.21',
    removed: '1.25',
    notes: NOTES.psp,
  },
  {
    apiVersion: 'node.k8s.io/v1beta1',
    kind: 'RuntimeClass',
    component: K,
    deprecated: '1.22',
    removed: '1.25',
    replacements: [{ apiVersion: 'node.k8s.io/v1', since: '1.20' }],
  },
  // ---- removed in 1.26
  ...(['FlowSchema', 'PriorityLevelConfiguration'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kind,
    component: K,
    deprecated: '1.23',
    removed: '1.26',
    replacements: FLOWCONTROL.slice(0, 3),
    notes: NOTES.flowcontrolShares,
  })),
  {
    apiVersion: 'autoscaling/v2beta2',
    kind: 'HorizontalPodAutoscaler',
    component: K,
    deprecated: '1.23',
    removed: '1.26',
    replacements: [{ apiVersion: 'autoscaling/v2', since: '1.23' }],
    notes: NOTES.hpaV2beta2,
  },
  // ---- removed in 1.27
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kind: 'CSIStorageCapacity',
    component: K,
    deprecated: '1.24',
    removed: '1.27',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.24' }],
  },
  // ---- removed in 1.29
  ...(['FlowSchema', 'PriorityLevelConfiguration'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kind,
    component: K,
    deprecated: '1.26',
    removed: '1.29',
    replacements: FLOWCONTROL.slice(0, 2),
    notes: NOTES.flowcontrolShares,
  })),
  // ---- removed in 1.32
  ...(['FlowSchema', 'PriorityLevelConfiguration'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kind,
    component: K,
    deprecated: '1.29',
    removed: '1.32',
    replacements: [{ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', since: '1.29' }],
    notes: NOTES.flowcontrolV1,
  })),
  ...(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'] as const).map(
    (kind): DeprecatedApi => ({
      apiVersion: 'admissionregistration.k8s.io/v1alpha1',
      kind,
      component: K,
      offByDefault: true,
      deprecated: '1.29',
      removed: '1.32',
      replacements: [
        { apiVersion: 'admissionregistration.k8s.io/v1', since: '1.30' },
        { apiVersion: 'admissionregistration.k8s.io/v1beta1', since: '1.28' },
      ],
    }),
  ),
  // ---- removed after 1.32 (pre-release versions, by their declared lifecycle)
  ...(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'] as const).map(
    (kind): DeprecatedApi => ({
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind,
      component: K,
      offByDefault: true,
      deprecated: '1.31',
      removed: '1.34',
      replacements: [{ apiVersion: 'admissionregistration.k8s.io/v1', since: '1.30' }],
    }),
  ),
  {
    apiVersion: 'storage.k8s.io/v1alpha1',
    kind: 'VolumeAttributesClass',
    component: K,
    offByDefault: true,
    deprecated: '1.32',
    removed: '1.35',
    replacements: [
      { apiVersion: 'storage.k8s.io/v1', since: '1.34' },
      { apiVersion: 'storage.k8s.io/v1beta1', since: '1.31' },
    ],
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kind: 'VolumeAttributesClass',
    component: K,
    offByDefault: true,
    deprecated: '1.34',
    removed: '1.37',
    replacements: [{ apiVersion: 'storage.k8s.io/v1', since: '1.34' }],
  },
  ...(['IPAddress', 'ServiceCIDR'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'networking.k8s.io/v1beta1',
    kind,
    component: K,
    offByDefault: true,
    deprecated: '1.34',
    removed: '1.37',
    replacements: [{ apiVersion: 'networking.k8s.io/v1', since: '1.33' }],
  })),
  {
    apiVersion: 'certificates.k8s.io/v1alpha1',
    kind: 'ClusterTrustBundle',
    component: K,
    offByDefault: true,
    deprecated: '1.34',
    removed: '1.37',
    replacements: [
      { apiVersion: 'certificates.k8s.io/v1', since: '1.37' },
      { apiVersion: 'certificates.k8s.io/v1beta1', since: '1.33' },
    ],
  },
  // ---- alpha versions, never served by default, removed without a deprecation period: the release notes
  // of the release that stopped serving them (rbac: #104248, 1.23; node: #103061, 1.24; scheduling
  // PriorityClass: no v1alpha1 storage from 1.23; batch/v2alpha1: 1.21; ClusterCIDR: #121229, 1.29;
  // IPAddress and ServiceCIDR: only v1beta1 storage from 1.31; scheduling Workload: 1.36 moved it to v1alpha2)
  {
    apiVersion: 'batch/v2alpha1',
    kind: 'CronJob',
    component: K,
    offByDefault: true,
    deprecated: '1.8',
    removed: '1.21',
    replacements: [
      { apiVersion: 'batch/v1', since: '1.21' },
      { apiVersion: 'batch/v1beta1', since: '1.8', until: '1.25' },
    ],
  },
  ...(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
    kind,
    component: K,
    offByDefault: true,
    deprecated: '1.8',
    removed: '1.23',
    replacements: [{ apiVersion: 'rbac.authorization.k8s.io/v1', since: '1.8' }],
  })),
  {
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kind: 'PriorityClass',
    component: K,
    offByDefault: true,
    deprecated: '1.14',
    removed: '1.23',
    replacements: [{ apiVersion: 'scheduling.k8s.io/v1', since: '1.14' }],
  },
  {
    apiVersion: 'node.k8s.io/v1alpha1',
    kind: 'RuntimeClass',
    component: K,
    offByDefault: true,
    deprecated: '1.14',
    removed: '1.24',
    replacements: [
      { apiVersion: 'node.k8s.io/v1', since: '1.20' },
      { apiVersion: 'node.k8s.io/v1beta1', since: '1.14', until: '1.25' },
    ],
  },
  {
    apiVersion: 'networking.k8s.io/v1alpha1',
    kind: 'ClusterCIDR',
    component: K,
    offByDefault: true,
    deprecated: '1.29',
    removed: '1.29',
  },
  ...(['IPAddress', 'ServiceCIDR'] as const).map((kind): DeprecatedApi => ({
    apiVersion: 'networking.k8s.io/v1alpha1',
    kind,
    component: K,
    offByDefault: true,
    deprecated: '1.31',
    removed: '1.31',
    replacements: [
      { apiVersion: 'networking.k8s.io/v1', since: '1.33' },
      { apiVersion: 'networking.k8s.io/v1beta1', since: '1.31', until: '1.37' },
    ],
  })),
  {
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kind: 'Workload',
    component: K,
    offByDefault: true,
    deprecated: '1.36',
    removed: '1.36',
    replacements: [{ apiVersion: 'scheduling.k8s.io/v1alpha2', since: '1.36' }],
  },
  // ---- pre-release versions with a declared lifecycle (k8s.io/api v0.36 zz_generated.prerelease-lifecycle.go)
  ...(['v1alpha1', 'v1beta1'] as const).map((v): DeprecatedApi => ({
    apiVersion: `authentication.k8s.io/${v}`,
    kind: 'SelfSubjectReview',
    component: K,
    ...(v === 'v1alpha1' ? { offByDefault: true as const } : {}),
    deprecated: v === 'v1alpha1' ? '1.29' : '1.30',
    removed: v === 'v1alpha1' ? '1.32' : '1.33',
    replacements: [{ apiVersion: 'authentication.k8s.io/v1', since: '1.28' }],
  })),
  ...(['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding'] as const).flatMap((kind) => [
    {
      apiVersion: 'admissionregistration.k8s.io/v1alpha1',
      kind,
      component: K,
      offByDefault: true as const,
      deprecated: '1.35',
      removed: '1.38',
      replacements: [
        { apiVersion: 'admissionregistration.k8s.io/v1', since: '1.36' },
        { apiVersion: 'admissionregistration.k8s.io/v1beta1', since: '1.34' },
      ],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind,
      component: K,
      offByDefault: true as const,
      deprecated: '1.37',
      removed: '1.40',
      replacements: [{ apiVersion: 'admissionregistration.k8s.io/v1', since: '1.36' }],
    },
  ]),
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kind: 'ClusterTrustBundle',
    component: K,
    offByDefault: true,
    deprecated: '1.37',
    removed: '1.40',
    replacements: [{ apiVersion: 'certificates.k8s.io/v1', since: '1.37' }],
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kind: 'PodCertificateRequest',
    component: K,
    offByDefault: true,
    deprecated: '1.38',
    removed: '1.41',
  },
  {
    apiVersion: 'coordination.k8s.io/v1alpha2',
    kind: 'LeaseCandidate',
    component: K,
    offByDefault: true,
    deprecated: '1.35',
    removed: '1.38',
    replacements: [{ apiVersion: 'coordination.k8s.io/v1beta1', since: '1.33', until: '1.39' }],
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kind: 'LeaseCandidate',
    component: K,
    offByDefault: true,
    deprecated: '1.36',
    removed: '1.39',
  },
  ...(['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'] as const).flatMap((kind) =>
    (
      [
        ['v1beta1', '1.35', '1.38'],
        ['v1beta2', '1.36', '1.39'],
      ] as const
    ).map(([v, deprecated, removed]): DeprecatedApi => ({
      apiVersion: `resource.k8s.io/${v}`,
      kind,
      component: K,
      offByDefault: true,
      deprecated,
      removed,
      replacements: [{ apiVersion: 'resource.k8s.io/v1', since: '1.34' }],
    })),
  ),
  {
    apiVersion: 'resource.k8s.io/v1alpha3',
    kind: 'DeviceTaintRule',
    component: K,
    offByDefault: true,
    deprecated: '1.36',
    removed: '1.39',
    replacements: [{ apiVersion: 'resource.k8s.io/v1beta2', since: '1.36', until: '1.42' }],
  },
  {
    apiVersion: 'resource.k8s.io/v1alpha3',
    kind: 'ResourcePoolStatusRequest',
    component: K,
    offByDefault: true,
    deprecated: '1.39',
    removed: '1.42',
  },
  {
    apiVersion: 'resource.k8s.io/v1beta2',
    kind: 'DeviceTaintRule',
    component: K,
    offByDefault: true,
    deprecated: '1.39',
    removed: '1.42',
  },
  {
    apiVersion: 'storagemigration.k8s.io/v1beta1',
    kind: 'StorageVersionMigration',
    component: K,
    offByDefault: true,
    deprecated: '1.38',
    removed: '1.41',
  },
  // ---- deprecated, still served
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    component: K,
    deprecated: '1.33',
    replacements: [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', since: '1.21' }],
    notes: NOTES.endpoints,
  },
  // ---- add-ons: cert-manager stopped serving its pre-v1 versions in 1.6 (deprecated in 1.4)
  ...(['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'] as const).flatMap((kind) =>
    (['v1alpha2', 'v1alpha3', 'v1beta1'] as const).map((v): DeprecatedApi => ({
      apiVersion: `cert-manager.io/${v}`,
      kind,
      component: 'cert-manager',
      deprecated: '1.4',
      removed: '1.6',
      replacements: [{ apiVersion: 'cert-manager.io/v1' }],
      notes: NOTES.certManager,
    })),
  ),
  ...(['Order', 'Challenge'] as const).flatMap((kind) =>
    (['v1alpha2', 'v1alpha3', 'v1beta1'] as const).map((v): DeprecatedApi => ({
      apiVersion: `acme.cert-manager.io/${v}`,
      kind,
      component: 'cert-manager',
      deprecated: '1.4',
      removed: '1.6',
      replacements: [{ apiVersion: 'acme.cert-manager.io/v1' }],
      notes: NOTES.certManager,
    })),
  ),
  // ---- add-ons: the Vertical Pod Autoscaler ignores v1beta1 since 0.5 and deprecated v1beta2 in 0.13
  {
    apiVersion: 'autoscaling.k8s.io/v1beta1',
    kind: 'VerticalPodAutoscaler',
    component: 'vertical-pod-autoscaler',
    deprecated: '0.5',
    removed: '0.5',
    replacements: [{ apiVersion: 'autoscaling.k8s.io/v1' }],
    notes: NOTES.vpaV1beta1,
  },
  {
    apiVersion: 'autoscaling.k8s.io/v1beta2',
    kind: 'VerticalPodAutoscaler',
    component: 'vertical-pod-autoscaler',
    deprecated: '0.13',
    replacements: [{ apiVersion: 'autoscaling.k8s.io/v1' }],
  },
];

const BY_KEY = new Map(DEPRECATED_APIS.map((d) => [`${d.apiVersion}\u0000${d.kind}`, d]));

/** The table row for an object's apiVersion and kind, if it has one. */
export function findDeprecatedApi(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return BY_KEY.get(`${apiVersion.trim()}\u0000${kind}`);
}

/**
 * Where an API stands at a target Kubernetes version. Add-on APIs are judged by their add-on's own
 * releases, which no Kubernetes version implies: the add-on releases that removed them are years old,
 * so a removed add-on API counts as removed at every target.
 */
export function apiStatus(api: DeprecatedApi, kubeVersion: string): ApiStatus {
  if (api.component !== 'kubernetes') return api.removed !== undefined ? 'removed' : 'deprecated';
  if (parseMinor(kubeVersion) === undefined) return 'served';
  if (api.removed !== undefined && atLeast(kubeVersion, api.removed)) return 'removed';
  if (api.offByDefault) return 'off';
  if (atLeast(kubeVersion, api.deprecated)) return 'deprecated';
  return 'served';
}

/**
 * The replacement to advise at a target version: the newest one the target serves, so a manifest for an
 * older cluster is not told to use an API its cluster lacks. Undefined when there is no replacement.
 */
export function replacementAt(api: DeprecatedApi, kubeVersion: string): Replacement | undefined {
  const list = api.replacements ?? [];
  if (!parseMinor(kubeVersion)) return list[0];
  return list.find(
    (r) =>
      (r.since === undefined || atLeast(kubeVersion, r.since)) &&
      (r.until === undefined || !atLeast(kubeVersion, r.until)),
  );
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

let knownKinds: { kinds: Set<string>; groups: Set<string> } | undefined;

/**
 * Every apiVersion and kind some Kubernetes release served: the kinds of the 1.36 OpenAPI artifact
 * (src/model/openapi), the rows of this table and their replacements; and the API groups they belong to.
 */
function known(): { kinds: Set<string>; groups: Set<string> } {
  if (knownKinds) return knownKinds;
  const kinds = new Set<string>();
  for (const key of Object.keys(loadArtifact().kinds)) {
    const slash = key.lastIndexOf('/');
    kinds.add(`${key.slice(0, slash)}\u0000${key.slice(slash + 1)}`);
  }
  for (const d of DEPRECATED_APIS.filter((x) => x.component === 'kubernetes')) {
    kinds.add(`${d.apiVersion}\u0000${d.kind}`);
    for (const r of d.replacements ?? []) kinds.add(`${r.apiVersion}\u0000${r.kind ?? d.kind}`);
  }
  const groups = new Set([...kinds].map((k) => groupOf(k.split('\u0000')[0]!)));
  return (knownKinds = { kinds, groups });
}

/**
 * An object of a Kubernetes API group (core, apps, batch, policy, networking.k8s.io, …) whose
 * apiVersion and kind no Kubernetes release served, as far as kubeha knows (`apps/v1beta3`
 * Deployment, `v2` ConfigMap): kubectl cannot map it ("no matches for kind") and applies nothing.
 * Undefined for other groups (custom resources) and for known kinds. When the kind exists in other
 * versions of its group, they are returned, so the message can name them.
 */
export function unknownKubernetesKind(apiVersion: string, kind: string): { servedAs: string[] } | undefined {
  const { kinds, groups } = known();
  const v = apiVersion.trim();
  const group = groupOf(v);
  if (!groups.has(group) || kinds.has(`${v}\u0000${kind}`)) return undefined;
  const servedAs = Object.keys(loadArtifact().kinds)
    .filter((k) => k.endsWith(`/${kind}`) && groupOf(k.slice(0, k.lastIndexOf('/'))) === group)
    .map((k) => k.slice(0, k.lastIndexOf('/')));
  return { servedAs };
}
