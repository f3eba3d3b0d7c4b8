import type { AnyRule } from './types.js';
import singletonPod from './singleton-pod.js';
import singleReplica from './single-replica.js';
import hpaMissing from './hpa-missing.js';
import hpaMinReplicas from './hpa-min-replicas.js';
import hpaTargetMissing from './hpa-target-missing.js';
import hpaReplicasConflict from './hpa-replicas-conflict.js';
import hpaMissingRequests from './hpa-missing-requests.js';
import hpaInvalidRange from './hpa-invalid-range.js';
import noNodeSpread from './no-node-spread.js';
import noZoneSpread from './no-zone-spread.js';
import spreadSelectorMismatch from './spread-selector-mismatch.js';
import spreadCountsLostNodes from './spread-counts-lost-nodes.js';
import deprecatedTopologyKey from './deprecated-topology-key.js';
import requiredZoneAntiAffinity from './required-zone-anti-affinity.js';
import requiredNodeAntiAffinity from './required-node-anti-affinity.js';
import missingPriorityClass from './missing-priority-class.js';
import priorityClassCannotPreempt from './priority-class-cannot-preempt.js';
import missingReadinessProbe from './missing-readiness-probe.js';
import missingLivenessProbe from './missing-liveness-probe.js';
import identicalProbes from './identical-probes.js';
import slowStartWithoutStartupProbe from './slow-start-without-startup-probe.js';
import probePortMismatch from './probe-port-mismatch.js';
import serviceSelectsNothing from './service-selects-nothing.js';
import statefulsetServiceMissing from './statefulset-service-missing.js';
import missingResourceRequests from './missing-resource-requests.js';
import recreateStrategy from './recreate-strategy.js';
import rolloutAllUnavailable from './rollout-all-unavailable.js';
import noRollbackHistory from './no-rollback-history.js';
import missingPdb from './missing-pdb.js';
import pdbBlocksEviction from './pdb-blocks-eviction.js';
import pdbMatchesNothing from './pdb-matches-nothing.js';
import pdbOverlap from './pdb-overlap.js';
import pdbAllowsAllEvictions from './pdb-allows-all-evictions.js';
import pdbUnhealthyPolicyUnset from './pdb-unhealthy-policy-unset.js';
import noGracefulShutdown from './no-graceful-shutdown.js';
import terminationGraceTooLong from './termination-grace-too-long.js';
import vpaHpaConflict from './vpa-hpa-conflict.js';
import vpaDisruptiveUpdate from './vpa-disruptive-update.js';
import deprecatedApi from './deprecated-api.js';
import canaryTargetMissing from './canary-target-missing.js';
import canaryAnalysisMissing from './canary-analysis-missing.js';
import meshNoTimeout from './mesh-no-timeout.js';
import meshNoRetries from './mesh-no-retries.js';
import meshNoCircuitBreaker from './mesh-no-circuit-breaker.js';
import meshNoRateLimit from './mesh-no-rate-limit.js';
import duplicateKey from './duplicate-key.js';
import yamlSyntax from './yaml-syntax.js';
import invalidObject from './invalid-object.js';
import simOutage from './sim-outage.js';
import simDegraded from './sim-degraded.js';
import simStuck from './sim-stuck.js';
import hpaMaxUnplaceable from './hpa-max-unplaceable.js';
import metricsApiUnavailable from './metrics-api-unavailable.js';
import hpaNotScaling from './hpa-not-scaling.js';
import pdbNoDisruptionsAllowed from './pdb-no-disruptions-allowed.js';
import pdbUnhealthyPodsBlockEviction from './pdb-unhealthy-pods-block-eviction.js';
import replicasColocated from './replicas-colocated.js';
import singleZoneCluster from './single-zone-cluster.js';
import restartingContainers from './restarting-containers.js';
import metricsServerMissing from './metrics-server-missing.js';
import vpaNotInstalled from './vpa-not-installed.js';
import noServiceMesh from './no-service-mesh.js';
import noMonitoring from './no-monitoring.js';
import noNodeAutoscaler from './no-node-autoscaler.js';
import zoneNodeImbalance from './zone-node-imbalance.js';
import noLoggingAgent from './no-logging-agent.js';

/**
 * The rule catalog, grouped by category; `kubeha rules` lists it in this order (README.md's rule table
 * and docs/rules/ describe each rule). Explicit so a rule cannot go missing silently.
 */
export const rules: readonly AnyRule[] = [
  singletonPod,
  singleReplica,
  hpaMissing,
  hpaMinReplicas,
  hpaTargetMissing,
  hpaReplicasConflict,
  hpaMissingRequests,
  hpaInvalidRange,
  noNodeSpread,
  noZoneSpread,
  spreadSelectorMismatch,
  spreadCountsLostNodes,
  deprecatedTopologyKey,
  requiredZoneAntiAffinity,
  requiredNodeAntiAffinity,
  missingPriorityClass,
  priorityClassCannotPreempt,
  missingReadinessProbe,
  missingLivenessProbe,
  identicalProbes,
  slowStartWithoutStartupProbe,
  probePortMismatch,
  serviceSelectsNothing,
  statefulsetServiceMissing,
  missingResourceRequests,
  recreateStrategy,
  rolloutAllUnavailable,
  noRollbackHistory,
  missingPdb,
  pdbBlocksEviction,
  pdbMatchesNothing,
  pdbOverlap,
  pdbAllowsAllEvictions,
  pdbUnhealthyPolicyUnset,
  noGracefulShutdown,
  terminationGraceTooLong,
  vpaHpaConflict,
  vpaDisruptiveUpdate,
  deprecatedApi,
  canaryTargetMissing,
  canaryAnalysisMissing,
  meshNoTimeout,
  meshNoRetries,
  meshNoCircuitBreaker,
  meshNoRateLimit,
  duplicateKey,
  yamlSyntax,
  invalidObject,
  simOutage,
  simStuck,
  simDegraded,
  hpaMaxUnplaceable,
  // Live-only (kubeha scan): they read status and what the cluster has installed.
  metricsApiUnavailable,
  hpaNotScaling,
  pdbNoDisruptionsAllowed,
  pdbUnhealthyPodsBlockEviction,
  replicasColocated,
  singleZoneCluster,
  restartingContainers,
  metricsServerMissing,
  vpaNotInstalled,
  noServiceMesh,
  noMonitoring,
  noNodeAutoscaler,
  zoneNodeImbalance,
  noLoggingAgent,
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function ruleById(id: string): AnyRule | undefined {
  return byId.get(id);
}
