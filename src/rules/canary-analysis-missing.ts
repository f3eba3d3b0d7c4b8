import { getAt } from '../model/json-path.js';
import { isJsonObject, type JsonObject, type JsonValue, type K8sObject } from '../model/types.js';
import { defineRule } from './define-rule.js';
import type { ReportDescriptor } from './types.js';

/*
 * What this rule reads of Flagger's and Argo Rollouts' controllers (checked in their sources, see the
 * rule's page): Flagger promotes at once when a Canary has no analysis or skipAnalysis is set; a failed
 * check is a metric out of its thresholdRange (or a failing rollout webhook); the canary weight grows by
 * nextStepWeight and the Canary is promoted when the weight reaches maxWeight. Argo Rollouts aborts a
 * canary only on a failed AnalysisRun, and promotes to 100% after its last step whatever that step's
 * weight was, so a last setWeight below 100 is not reported.
 */

type MessageId =
  'flaggerSkipped' | 'flaggerNoChecks' | 'flaggerMetricNeverFails' | 'flaggerStalls' | 'rolloutNoAnalysis';

/** Flagger's total weight: canary and primary weights always add up to 100. */
const TOTAL_WEIGHT = 100;

/** Flagger's built-in metrics, the only metric names it evaluates without a query or a templateRef. */
const SUCCESS_RATE = 'request-success-rate';
const DURATION = 'request-duration';

/** Webhook types whose failure counts as a failed check or rolls the canary back. */
const CHECK_WEBHOOK_TYPES = new Set(['', 'rollout', 'pre-rollout', 'rollback']);

export default defineRule({
  id: 'canary-analysis-missing',
  category: 'updates',
  defaultSeverity: 'warning',
  guide: 'Use Canary deployments',
  description:
    'A canary that measures nothing, or whose weights never reach promotion, does not make releases safer.',
  fixSafety: {
    kind: 'none',
    reason: 'choose the metrics, thresholds and traffic steps that judge a release of this service',
  },
  messages: {
    flaggerSkipped: {
      headline: 'Canary {{name}} (Flagger) promotes without analysis',
      detail:
        '{{reason}}: Flagger copies each new version to the primary at once, with no traffic step and no check, so a bad release reaches every replica. {{fix}}',
    },
    flaggerNoChecks: {
      headline: 'Canary {{name}} (Flagger) analyses no metric',
      detail:
        'Its analysis has no metrics and no webhook that checks the release, so Flagger only waits for the canary pods to be Ready: a version that is Ready but fails its requests is promoted. Add {{field}}.metrics, such as request-success-rate with thresholdRange.min: 99.',
    },
    flaggerMetricNeverFails: {
      headline: 'Canary {{name}} (Flagger) metric {{metric}} can never fail',
      detail:
        '{{reason}}, so this check passes whatever the canary does and never counts toward the threshold of failed checks that rolls it back. {{fix}}',
    },
    flaggerStalls: {
      headline: 'Canary {{name}} (Flagger) stops at {{weight}}% and is never promoted',
      detail:
        '{{reason}}: Flagger promotes only when the canary weight reaches maxWeight ({{maxWeight}}%), so every release stays split between the primary and the canary until someone steps in. Use a positive stepWeight, or stepWeights that increase strictly, with maxWeight at most 100.',
    },
    rolloutNoAnalysis: {
      headline: 'Rollout {{name}} runs its canary without analysis',
      detail:
        'spec.strategy.canary has no background analysis and no analysis or experiment step; {{pace}}, so nothing measures the canary and nothing aborts a bad version. Add spec.strategy.canary.analysis with an AnalysisTemplate, or an analysis step after the first setWeight.',
    },
  },
  check({ index, report }) {
    for (const o of index.objects) {
      if (o.kind === 'Canary' && o.apiVersion.startsWith('flagger.app/')) checkFlagger(o, report);
      else if (o.kind === 'Rollout' && o.apiVersion.startsWith('argoproj.io/')) checkRollout(o, report);
    }
  },
});

type Report = (descriptor: ReportDescriptor<MessageId>) => void;

/** A number field, or undefined when it is absent or not a number (the API server rejects those). */
function numberAt(o: JsonValue | undefined, key: string): number | undefined {
  if (!isJsonObject(o)) return undefined;
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
}

function checkFlagger(o: K8sObject, report: Report): void {
  const name = o.name;
  const spec = getAt(o.raw, '/spec');
  // Canary.GetAnalysis: spec.analysis, else the deprecated spec.canaryAnalysis.
  const at = isJsonObject(getAt(spec, '/analysis')) ? '/spec/analysis' : '/spec/canaryAnalysis';
  const analysis = getAt(o.raw, at);
  if (!isJsonObject(analysis)) {
    report({
      object: o,
      path: '/spec/analysis',
      messageId: 'flaggerSkipped',
      data: {
        name,
        reason: 'It has no spec.analysis',
        fix: 'Add spec.analysis with metrics and traffic steps.',
      },
    });
    return;
  }
  if (getAt(spec, '/skipAnalysis') === true) {
    report({
      object: o,
      path: '/spec/skipAnalysis',
      messageId: 'flaggerSkipped',
      data: { name, reason: 'spec.skipAnalysis is true', fix: 'Remove spec.skipAnalysis.' },
    });
    return;
  }
  const field = at.slice(1).replace(/\//g, '.');
  const stall = flaggerStall(o, analysis, at);
  if (stall)
    report({ object: o, path: stall.path, messageId: 'flaggerStalls', data: { name, ...stall.data } });

  const metrics = Array.isArray(analysis['metrics']) ? analysis['metrics'] : [];
  if (metrics.length === 0 && !hasCheckWebhook(analysis)) {
    report({ object: o, path: `${at}/metrics`, messageId: 'flaggerNoChecks', data: { name, field } });
    return;
  }
  metrics.forEach((metric, i) => {
    if (!isJsonObject(metric)) return;
    const never = neverFails(metric);
    if (!never) return;
    report({
      object: o,
      path: `${at}/metrics/${i}${never.at}`,
      messageId: 'flaggerMetricNeverFails',
      data: {
        name,
        metric: typeof metric['name'] === 'string' ? metric['name'] : `#${i + 1}`,
        ...never.data,
      },
    });
  });
}

/** Whether a webhook can fail the analysis or roll it back (a missing type is a rollout webhook). */
function hasCheckWebhook(analysis: JsonObject): boolean {
  const hooks = analysis['webhooks'];
  if (!Array.isArray(hooks)) return false;
  return hooks.some((h) => {
    if (!isJsonObject(h)) return false;
    const type = h['type'];
    return CHECK_WEBHOOK_TYPES.has(typeof type === 'string' ? type : '');
  });
}

/** Why a metric can never fail, and the field to point at; undefined when it can fail. */
function neverFails(metric: JsonObject): { at: string; data: { reason: string; fix: string } } | undefined {
  const name = metric['name'];
  const builtin = name === SUCCESS_RATE || name === DURATION;
  const query = typeof metric['query'] === 'string' && metric['query'] !== '';
  const template = isJsonObject(metric['templateRef']);
  if (!builtin && !query && !template) {
    return {
      at: '',
      data: {
        reason: `Flagger evaluates only ${SUCCESS_RATE}, ${DURATION}, a query or a templateRef, and this metric has none of them`,
        fix: 'Give it a templateRef to a MetricTemplate (or use a built-in name) and a thresholdRange.',
      },
    };
  }
  const range = metric['thresholdRange'];
  const onlyBuiltin = builtin && !query && !template;
  if (isJsonObject(range)) {
    const min = numberAt(range, 'min');
    const max = numberAt(range, 'max');
    if (min === undefined && max === undefined) {
      return {
        at: '/thresholdRange',
        data: {
          reason: 'Its thresholdRange has neither min nor max',
          fix: 'Set thresholdRange.min or thresholdRange.max.',
        },
      };
    }
    // A success rate is a percentage and a duration is never negative: a range that admits all of it
    // accepts every value Flagger can read.
    const admitsAll =
      onlyBuiltin &&
      (min === undefined || min <= 0) &&
      (name === SUCCESS_RATE ? max === undefined || max >= 100 : max === undefined);
    if (admitsAll) {
      return {
        at: '/thresholdRange',
        data: {
          reason: `Its thresholdRange (${min === undefined ? 'no min' : `min ${min}`}, ${max === undefined ? 'no max' : `max ${max}`}) admits every value ${name} can take`,
          fix:
            name === SUCCESS_RATE
              ? 'Set thresholdRange.min, such as 99.'
              : 'Set thresholdRange.max in milliseconds, such as 500.',
        },
      };
    }
    return undefined;
  }
  // Without thresholdRange Flagger falls back on the deprecated threshold: a success rate below it fails.
  const threshold = numberAt(metric, 'threshold') ?? 0;
  if (onlyBuiltin && name === SUCCESS_RATE && threshold <= 0) {
    return {
      at: '',
      data: {
        reason: `Without thresholdRange, Flagger fails ${SUCCESS_RATE} only below the deprecated threshold, which is ${threshold} here`,
        fix: 'Set thresholdRange.min, such as 99.',
      },
    };
  }
  return undefined;
}

/**
 * Replays Flagger's canary traffic steps (scheduler.go: nextStepWeight, then runCanary) from weight 0 and
 * returns where the weight stops short of promotion, if it does. Not for A/B and blue/green analyses
 * (iterations), nor for the kubernetes provider, which Flagger runs as blue/green.
 */
function flaggerStall(
  o: K8sObject,
  analysis: JsonObject,
  at: string,
): { path: string; data: { weight: number; maxWeight: number; reason: string } } | undefined {
  if ((numberAt(analysis, 'iterations') ?? 0) > 0) return undefined;
  if (getAt(o.raw, '/spec/provider') === 'kubernetes') return undefined;
  const stepWeight = numberAt(analysis, 'stepWeight') ?? 0;
  const raw = analysis['stepWeights'];
  const stepWeights = Array.isArray(raw) && raw.every((w) => typeof w === 'number') ? (raw as number[]) : [];
  const maxWeightSet = numberAt(analysis, 'maxWeight') ?? 0;
  const maxWeight =
    stepWeights.length > 0
      ? Math.min(TOTAL_WEIGHT, stepWeights[stepWeights.length - 1]!)
      : maxWeightSet > 0
        ? maxWeightSet
        : TOTAL_WEIGHT;
  const next = (weight: number): number => {
    if (stepWeight > 0 || stepWeights.length === 0) return stepWeight;
    const maxStep = TOTAL_WEIGHT - weight;
    if (maxStep === 0) return 1;
    if (weight === 0) return Math.min(maxStep, stepWeights[0]!);
    for (let i = 0; i < stepWeights.length - 1; i++) {
      if (stepWeights[i] === weight) return Math.min(maxStep, stepWeights[i + 1]! - weight);
    }
    return maxStep;
  };
  let weight = 0;
  // Each round raises the weight by at least 1 up to 100, so 102 rounds reach a verdict.
  for (let round = 0; round <= TOTAL_WEIGHT + 1; round++) {
    const step = next(weight);
    if (step <= 0) {
      const usesList = !(stepWeight > 0 || stepWeights.length === 0);
      const reason = usesList
        ? `From ${weight}% its stepWeights (${stepWeights.join(', ')}) give a next step of ${step}%`
        : stepWeight === 0
          ? 'Its analysis sets no stepWeight, stepWeights or iterations, so the weight never leaves 0%'
          : `Its stepWeight is ${stepWeight}`;
      return {
        path: `${at}/${usesList ? 'stepWeights' : 'stepWeight'}`,
        data: { weight, maxWeight, reason },
      };
    }
    if (weight >= maxWeight) return undefined;
    const raised = Math.min(TOTAL_WEIGHT, weight + step);
    if (raised === weight) {
      return {
        path: `${at}/maxWeight`,
        data: {
          weight,
          maxWeight,
          reason: `Its maxWeight ${maxWeight} is above 100, and the weight stops at 100%`,
        },
      };
    }
    weight = raised;
  }
  return undefined;
}

function checkRollout(o: K8sObject, report: Report): void {
  const canary = getAt(o.raw, '/spec/strategy/canary');
  if (!isJsonObject(canary)) return;
  if (hasTemplates(canary['analysis'])) return;
  const steps = Array.isArray(canary['steps']) ? canary['steps'] : [];
  const analysed = steps.some(
    (s) =>
      isJsonObject(s) &&
      (hasTemplates(s['analysis']) ||
        (isJsonObject(s['experiment']) && nonEmpty(s['experiment']['analyses']))),
  );
  if (analysed) return;
  const pace =
    steps.length === 0
      ? "without steps it replaces pods as a Deployment's rolling update does"
      : `it goes through its ${steps.length} steps on pause timers and manual promotion alone`;
  report({
    object: o,
    path: '/spec/strategy/canary/analysis',
    messageId: 'rolloutNoAnalysis',
    data: { name: o.name, pace },
  });
}

function hasTemplates(analysis: JsonValue | undefined): boolean {
  return isJsonObject(analysis) && nonEmpty(analysis['templates']);
}

function nonEmpty(v: JsonValue | undefined): boolean {
  return Array.isArray(v) && v.length > 0;
}
