/**
 * The update strategy of a workload, and the pod counts its controller derives from it.
 *
 * Two steps, so that callers without a pod count (rules reading a DaemonSet) and callers with one
 * (the simulator, which knows how many nodes a DaemonSet lands on) share the same code:
 * - `rolloutSpec(object)` reads the strategy as the API server stores it, defaults applied;
 * - `resolveRollout(spec, desired)` turns maxSurge/maxUnavailable into pod counts exactly as the
 *   controller does for that many pods.
 *
 * Sources (Kubernetes unless named):
 * - defaults: pkg/apis/apps/{v1,v1beta1,v1beta2}/defaults.go, pkg/apis/extensions/v1beta1/defaults.go;
 * - Deployment: pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, MaxUnavailable;
 * - StatefulSet: pkg/controller/statefulset/stateful_set_control.go getStatefulSetMaxUnavailable, and
 *   pkg/registry/apps/statefulset/strategy.go dropStatefulSetDisabledFields (feature MaxUnavailableStatefulSet);
 * - DaemonSet: pkg/controller/daemon/util/daemonset_util.go UnavailableCount/SurgeCount and
 *   pkg/controller/daemon/update.go updatedDesiredNodeCounts;
 * - Argo Rollouts: utils/defaults/defaults.go and utils/replicaset/replicaset.go MaxUnavailable.
 */
import { atLeast, DEFAULT_KUBE_VERSION } from './kube-versions.js';
import { getAt } from './json-path.js';
import { isJsonObject, type JsonValue, type K8sObject } from './types.js';
import { scaledValue } from './intstr.js';

/** An IntOrString as written: a count, or a "N%" percentage. */
export type IntOrPercent = number | string;

export type RolloutKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Rollout';

export type UpdateStrategyType =
  /** Deployment, StatefulSet, DaemonSet: replace pods a few at a time. */
  | 'RollingUpdate'
  /** Deployment: stop every old pod, then start the new ones. */
  | 'Recreate'
  /** StatefulSet, DaemonSet: a new template reaches a pod only when someone deletes that pod. */
  | 'OnDelete'
  /** Argo Rollout spec.strategy.canary. */
  | 'Canary'
  /** Argo Rollout spec.strategy.blueGreen. */
  | 'BlueGreen';

/** The minor version from which MaxUnavailableStatefulSet is on by default (beta). */
export const STATEFULSET_MAX_UNAVAILABLE_SINCE = '1.35';

export interface RolloutSpec {
  kind: RolloutKind;
  type: UpdateStrategyType;
  /** JSON pointer of the field that selects the strategy (where to point when the strategy is the problem). */
  typePath: string;
  /** maxSurge in effect: the declared value, else the default; 0 for kinds that never surge. */
  maxSurge: IntOrPercent;
  /** maxUnavailable in effect: the declared value, else the default. */
  maxUnavailable: IntOrPercent;
  /** JSON pointers of the two fields, whether or not they are written. */
  maxSurgePath: string;
  maxUnavailablePath: string;
  /** Which of the two the manifest writes (false: the default applies). */
  declared: { maxSurge: boolean; maxUnavailable: boolean };
  /** StatefulSet rollingUpdate.partition: ordinals below it keep the old template. 0 elsewhere. */
  partition: number;
  /** Argo canary with spec.strategy.canary.trafficRouting: maxSurge/maxUnavailable are not used. */
  trafficRouted: boolean;
}

export interface ResolvedRollout {
  type: UpdateStrategyType;
  /** The pod count resolved against: replicas, or the nodes a DaemonSet runs on. */
  desired: number;
  /** Pods the controller may run above `desired` during the update. */
  maxSurge: number;
  /** Pods the controller may take down at once during the update (never more than `desired`). */
  maxUnavailable: number;
  /** Pods that stay available throughout: desired − maxUnavailable. */
  minAvailable: number;
  /** Pods the update replaces (fewer than desired below a StatefulSet partition, 0 for OnDelete). */
  updated: number;
  /**
   * Both fenceposts rounded to 0, so the controller raised maxUnavailable to 1 (Deployment
   * ResolveFenceposts, DaemonSet updatedDesiredNodeCounts, a StatefulSet percentage below one pod).
   */
  raisedToOne: boolean;
}

export interface ResolveOptions {
  /**
   * Whether the StatefulSet controller honours rollingUpdate.maxUnavailable (feature gate
   * MaxUnavailableStatefulSet). Defaults to what `kubeVersion` enables by default.
   */
  statefulSetMaxUnavailable?: boolean;
  /** Target Kubernetes minor ("1.34"); DEFAULT_KUBE_VERSION when unset. */
  kubeVersion?: string;
}

const PERCENT = /^(\d+)%$/;

export function isIntOrPercent(v: JsonValue | undefined): v is IntOrPercent {
  return (
    (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && PERCENT.test(v))
  );
}

/**
 * intstr.GetScaledValueFromIntOrPercent: a count as is, a percentage of `total` rounded up or down
 * (in float64, as Go computes it); undefined for anything else, which the controller rejects too.
 */
export function scaleIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean): number | undefined {
  return scaledValue(value, total, roundUp);
}

/** Whether the value is a percentage of at least 100: every pod, whatever the count. */
export function isWholePercent(value: IntOrPercent): boolean {
  const m = typeof value === 'string' ? PERCENT.exec(value) : null;
  return m !== null && Number(m[1]) >= 100;
}

/**
 * deploymentutil.ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and when both
 * come out 0 maxUnavailable becomes 1 ("on the theory that surge might not work due to quota").
 */
export function resolveFenceposts(
  maxSurge: IntOrPercent,
  maxUnavailable: IntOrPercent,
  desired: number,
): { surge: number; unavailable: number; raisedToOne: boolean } | undefined {
  const surge = scaleIntOrPercent(maxSurge, desired, true);
  const unavailable = scaleIntOrPercent(maxUnavailable, desired, false);
  if (surge === undefined || unavailable === undefined) return undefined;
  if (surge === 0 && unavailable === 0) return { surge, unavailable: 1, raisedToOne: true };
  return { surge, unavailable, raisedToOne: false };
}

function field(raw: JsonValue | undefined, path: string): JsonValue | undefined {
  const v = getAt(raw, path);
  return v === null ? undefined : v;
}

function strategyType(raw: JsonValue | undefined, fallback: UpdateStrategyType): UpdateStrategyType {
  return raw === 'RollingUpdate' || raw === 'Recreate' || raw === 'OnDelete' ? raw : fallback;
}

/**
 * The update strategy of a Deployment, StatefulSet, DaemonSet or Argo Rollout, with the defaults of
 * its API version; undefined for other kinds, and for values that are not an int or "N%" (the API
 * server rejects those, so there is nothing to resolve).
 */
export function rolloutSpec(object: K8sObject): RolloutSpec | undefined {
  const raw = object.raw;
  const v = object.apiVersion;
  switch (object.kind) {
    case 'Deployment': {
      const type = strategyType(field(raw, '/spec/strategy/type'), 'RollingUpdate');
      // extensions/v1beta1 defaulted both to 1; apps/* to 25%.
      const dflt: IntOrPercent = v === 'extensions/v1beta1' ? 1 : '25%';
      return withFences(object, {
        kind: 'Deployment',
        type,
        typePath: '/spec/strategy/type',
        base: '/spec/strategy/rollingUpdate',
        surgeDefault: type === 'RollingUpdate' ? dflt : 0,
        unavailableDefault: type === 'RollingUpdate' ? dflt : 0,
      });
    }
    case 'StatefulSet': {
      // apps/v1beta1 defaulted to OnDelete; apps/v1beta2 and apps/v1 to RollingUpdate.
      const type = strategyType(
        field(raw, '/spec/updateStrategy/type'),
        v === 'apps/v1beta1' ? 'OnDelete' : 'RollingUpdate',
      );
      const partition = field(raw, '/spec/updateStrategy/rollingUpdate/partition');
      const spec = withFences(object, {
        kind: 'StatefulSet',
        type,
        typePath: '/spec/updateStrategy/type',
        base: '/spec/updateStrategy/rollingUpdate',
        surgeDefault: 0,
        unavailableDefault: 1,
        noSurge: true,
      });
      if (spec && type === 'RollingUpdate' && typeof partition === 'number' && partition > 0) {
        spec.partition = Math.floor(partition);
      }
      return spec;
    }
    case 'DaemonSet': {
      // extensions/v1beta1 defaulted to OnDelete; apps/* to RollingUpdate.
      const type = strategyType(
        field(raw, '/spec/updateStrategy/type'),
        v === 'extensions/v1beta1' ? 'OnDelete' : 'RollingUpdate',
      );
      return withFences(object, {
        kind: 'DaemonSet',
        type,
        typePath: '/spec/updateStrategy/type',
        base: '/spec/updateStrategy/rollingUpdate',
        surgeDefault: 0,
        unavailableDefault: 1,
      });
    }
    case 'Rollout': {
      if (!v.startsWith('argoproj.io/')) return undefined;
      if (isJsonObject(field(raw, '/spec/strategy/blueGreen'))) {
        return withFences(object, {
          kind: 'Rollout',
          type: 'BlueGreen',
          typePath: '/spec/strategy/blueGreen',
          base: '/spec/strategy/blueGreen',
          surgeDefault: 0,
          unavailableDefault: '25%',
          noSurge: true,
        });
      }
      // A Rollout without a strategy is rejected by Argo's validation; canary is its only other one.
      const spec = withFences(object, {
        kind: 'Rollout',
        type: 'Canary',
        typePath: '/spec/strategy/canary',
        base: '/spec/strategy/canary',
        surgeDefault: '25%',
        unavailableDefault: '25%',
      });
      if (spec) spec.trafficRouted = isJsonObject(field(raw, '/spec/strategy/canary/trafficRouting'));
      return spec;
    }
    default:
      return undefined;
  }
}

interface FenceSource {
  kind: RolloutKind;
  type: UpdateStrategyType;
  typePath: string;
  base: string;
  surgeDefault: IntOrPercent;
  unavailableDefault: IntOrPercent;
  /** The kind has no maxSurge field (StatefulSet, Argo blue-green). */
  noSurge?: boolean;
}

function withFences(object: K8sObject, s: FenceSource): RolloutSpec | undefined {
  const maxSurgePath = `${s.base}/maxSurge`;
  const maxUnavailablePath = `${s.base}/maxUnavailable`;
  const surge = s.noSurge ? undefined : field(object.raw, maxSurgePath);
  const unavailable = field(object.raw, maxUnavailablePath);
  if (surge !== undefined && !isIntOrPercent(surge)) return undefined;
  if (unavailable !== undefined && !isIntOrPercent(unavailable)) return undefined;
  return {
    kind: s.kind,
    type: s.type,
    typePath: s.typePath,
    maxSurge: surge ?? s.surgeDefault,
    maxUnavailable: unavailable ?? s.unavailableDefault,
    maxSurgePath,
    maxUnavailablePath,
    declared: { maxSurge: surge !== undefined, maxUnavailable: unavailable !== undefined },
    partition: 0,
    trafficRouted: false,
  };
}

/**
 * The pod counts the controller works with when it updates `desired` pods (replicas; for a
 * DaemonSet, the nodes it runs on). undefined when `desired` is not a non-negative integer or a
 * value cannot be scaled.
 */
export function resolveRollout(
  spec: RolloutSpec,
  desired: number,
  options: ResolveOptions = {},
): ResolvedRollout | undefined {
  if (!Number.isInteger(desired) || desired < 0) return undefined;
  const done = (maxSurge: number, maxUnavailable: number, raisedToOne = false, updated = desired) => {
    const unavailable = Math.min(maxUnavailable, desired);
    return {
      type: spec.type,
      desired,
      maxSurge,
      maxUnavailable: unavailable,
      minAvailable: desired - unavailable,
      updated,
      raisedToOne,
    };
  };

  switch (spec.type) {
    case 'Recreate':
      return done(0, desired);
    case 'OnDelete':
      return done(0, 0, false, 0);
    case 'BlueGreen':
      // The preview ReplicaSet is scaled to full size before the active Service switches; blue-green's
      // maxUnavailable only bounds restarts (Argo's API doc), not updates.
      return done(desired, 0);
    case 'Canary': {
      // With traffic routing the stable ReplicaSet stays at full size until the canary is promoted, and
      // maxSurge/maxUnavailable are ignored (argoproj/argo-rollouts discussion #2237).
      if (spec.trafficRouted) return done(desired, 0);
      if (desired === 0) return done(0, 0);
      const f = resolveFenceposts(spec.maxSurge, spec.maxUnavailable, desired);
      return f && done(f.surge, f.unavailable, f.raisedToOne);
    }
    case 'RollingUpdate':
      break;
  }

  switch (spec.kind) {
    case 'Deployment':
    case 'Rollout': {
      // MaxUnavailable: 0 for a Deployment scaled to zero, else the fencepost clamped to replicas.
      if (desired === 0) return done(0, 0);
      const f = resolveFenceposts(spec.maxSurge, spec.maxUnavailable, desired);
      return f && done(f.surge, f.unavailable, f.raisedToOne);
    }
    case 'StatefulSet': {
      const honoured =
        options.statefulSetMaxUnavailable ??
        atLeast(options.kubeVersion ?? DEFAULT_KUBE_VERSION, STATEFULSET_MAX_UNAVAILABLE_SINCE);
      const updated = Math.max(0, desired - spec.partition);
      if (!honoured) return done(0, Math.min(1, updated), false, updated);
      const scaled = scaleIntOrPercent(spec.maxUnavailable, desired, false);
      if (scaled === undefined) return undefined;
      // "maxUnavailable might be zero for small percentage with round down": raised to at least 1.
      return done(0, Math.min(Math.max(scaled, 1), updated), scaled < 1, updated);
    }
    case 'DaemonSet': {
      // Both round up on the number of nodes; both 0 on a non-empty set means maxUnavailable 1.
      const surge = scaleIntOrPercent(spec.maxSurge, desired, true);
      const unavailable = scaleIntOrPercent(spec.maxUnavailable, desired, true);
      if (surge === undefined || unavailable === undefined) return undefined;
      if (desired > 0 && surge === 0 && unavailable === 0) return done(0, 1, true);
      return done(surge, unavailable);
    }
  }
}
