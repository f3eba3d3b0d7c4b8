import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import { parseManifests } from '../../src/sources/parse.js';
import rule from '../../src/rules/canary-analysis-missing.js';
import { testRule, yaml } from '../rule-tester.js';

/** A Flagger Canary with this analysis block (YAML flow or block text, indented under `analysis:`). */
const canary = (name: string, analysis: string, extra = '') => yaml`
  apiVersion: flagger.app/v1beta1
  kind: Canary
  metadata: { name: ${name} }
  spec:
    targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
    service: { port: 80 }${extra}
    analysis: ${analysis}
  ---
`;

const successRate = '{ name: request-success-rate, thresholdRange: { min: 99 }, interval: 1m }';

/** An Argo Rollout with this canary strategy. */
const rollout = (name: string, strategy: string) => yaml`
  apiVersion: argoproj.io/v1alpha1
  kind: Rollout
  metadata: { name: ${name} }
  spec:
    replicas: 3
    strategy: ${strategy}
  ---
`;

testRule(rule, {
  valid: [
    {
      name: 'Flagger canaries whose metrics can fail and whose weights reach maxWeight',
      yaml:
        canary(
          'pass-step',
          `{ interval: 1m, threshold: 5, stepWeight: 10, maxWeight: 50, metrics: [${successRate}] }`,
        ) +
        canary(
          'pass-steps',
          `{ interval: 1m, threshold: 5, stepWeights: [1, 5, 10, 50], metrics: [{ name: request-duration, thresholdRange: { max: 500 } }] }`,
        ) +
        canary(
          'pass-template',
          '{ stepWeight: 20, metrics: [{ name: errors, templateRef: { name: error-rate }, thresholdRange: { max: 1 } }] }',
        ) +
        canary(
          'pass-query',
          '{ stepWeight: 20, metrics: [{ name: errors, query: "sum(x)", threshold: 1 }] }',
        ) +
        canary(
          'pass-deprecated',
          '{ stepWeight: 20, metrics: [{ name: request-success-rate, threshold: 99 }] }',
        ) +
        canary('pass-max-100', `{ stepWeight: 30, maxWeight: 100, metrics: [${successRate}] }`) +
        // Flagger counts a threshold of 0 as 1, and failed checks add up until any threshold is reached.
        canary('pass-threshold', `{ threshold: 0, stepWeight: 10, metrics: [${successRate}] }`) +
        canary('pass-threshold-large', `{ threshold: 1000, stepWeight: 10, metrics: [${successRate}] }`),
    },
    {
      name: 'an analysis without metrics that runs a checking webhook (acceptance or load tests)',
      yaml:
        canary(
          'pass-rollout-hook',
          '{ stepWeight: 10, webhooks: [{ name: acceptance, url: "http://t/" }] }',
        ) +
        canary(
          'pass-pre-rollout',
          '{ stepWeight: 10, webhooks: [{ name: smoke, type: pre-rollout, url: "http://t/" }] }',
        ),
    },
    {
      name: 'A/B and blue/green analyses count iterations, and the kubernetes provider runs blue/green: no weights',
      yaml:
        canary('pass-bluegreen', `{ iterations: 10, metrics: [${successRate}] }`) +
        canary('pass-kubernetes', `{ metrics: [${successRate}] }`, '\n    provider: kubernetes'),
    },
    {
      name: 'Argo Rollouts with a background analysis, an analysis step, or an experiment with analyses',
      yaml:
        rollout(
          'pass-background',
          '{ canary: { analysis: { templates: [{ templateName: success-rate }] }, steps: [{ setWeight: 20 }, { pause: {} }] } }',
        ) +
        rollout(
          'pass-step',
          '{ canary: { steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: success-rate }] } }] } }',
        ) +
        rollout(
          'pass-experiment',
          '{ canary: { steps: [{ experiment: { templates: [{ name: c, specRef: canary }], analyses: [{ name: a, templateName: t }] } }] } }',
        ),
    },
    {
      name: 'an Argo canary whose last setWeight is below 100 is promoted after its last step; blueGreen is not a canary',
      yaml:
        rollout(
          'pass-last-weight',
          '{ canary: { analysis: { templates: [{ templateName: t }] }, steps: [{ setWeight: 20 }, { setWeight: 40 }] } }',
        ) + rollout('pass-bluegreen', '{ blueGreen: { activeService: web } }'),
    },
    {
      name: "Canary and Rollout kinds of other API groups are not Flagger's or Argo's",
      yaml: yaml`
        apiVersion: example.com/v1
        kind: Canary
        metadata: { name: pass-other }
        spec: {}
        ---
        apiVersion: example.com/v1
        kind: Rollout
        metadata: { name: pass-other }
        spec: { strategy: { canary: {} } }
      `,
    },
  ],
  invalid: [
    {
      name: 'a Flagger Canary without analysis, and one that skips it',
      yaml: yaml`
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: { name: fail-none }
        spec:
          targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          service: { port: 80 }
        ---
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata: { name: fail-skip }
        spec:
          targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
          skipAnalysis: true
          analysis: { stepWeight: 10, metrics: [{ name: request-success-rate, thresholdRange: { min: 99 } }] }
      `,
      errors: [
        {
          object: 'fail-none',
          messageId: 'flaggerSkipped',
          path: '/spec/analysis',
          line: 4,
          message:
            'Canary fail-none (Flagger) promotes without analysis\nIt has no spec.analysis: Flagger copies each new version to the primary at once, with no traffic step and no check, so a bad release reaches every replica. Add spec.analysis with metrics and traffic steps.',
        },
        {
          object: 'fail-skip',
          messageId: 'flaggerSkipped',
          path: '/spec/skipAnalysis',
          line: 13,
          message: 'spec.skipAnalysis is true: Flagger copies',
        },
      ],
    },
    {
      name: 'an analysis without metrics or checking webhooks (a confirm gate checks nothing)',
      yaml:
        canary('fail-no-metrics', '{ interval: 1m, threshold: 5, stepWeight: 10, maxWeight: 50 }') +
        canary(
          'fail-gate-only',
          '{ stepWeight: 10, webhooks: [{ name: gate, type: confirm-promotion, url: "http://g/" }] }',
        ),
      errors: [
        {
          object: 'fail-no-metrics',
          messageId: 'flaggerNoChecks',
          path: '/spec/analysis/metrics',
          message:
            'Canary fail-no-metrics (Flagger) analyses no metric\nIts analysis has no metrics and no webhook that checks the release, so Flagger only waits for the canary pods to be Ready: a version that is Ready but fails its requests is promoted. Add spec.analysis.metrics, such as request-success-rate with thresholdRange.min: 99.',
        },
        { object: 'fail-gate-only', messageId: 'flaggerNoChecks' },
      ],
    },
    {
      name: 'metrics that can never fail',
      yaml: canary(
        'fail-metrics',
        `
      stepWeight: 10
      metrics:
        - { name: request-success-rate, thresholdRange: {} }
        - { name: request-success-rate, thresholdRange: { min: 0, max: 100 } }
        - { name: request-duration, thresholdRange: { min: 0 } }
        - { name: request-success-rate, interval: 1m }
        - { name: error-rate, thresholdRange: { max: 1 } }
        - { name: errors, templateRef: { name: errors }, thresholdRange: {} }`,
      ),
      errors: [
        {
          object: 'fail-metrics',
          messageId: 'flaggerMetricNeverFails',
          path: '/spec/analysis/metrics/0/thresholdRange',
          message:
            'Canary fail-metrics (Flagger) metric request-success-rate can never fail\nIts thresholdRange has neither min nor max, so this check passes whatever the canary does and never counts toward the threshold of failed checks that rolls it back. Set thresholdRange.min or thresholdRange.max.',
        },
        {
          object: 'fail-metrics',
          path: '/spec/analysis/metrics/1/thresholdRange',
          message: 'Its thresholdRange (min 0, max 100) admits every value request-success-rate can take',
        },
        {
          object: 'fail-metrics',
          path: '/spec/analysis/metrics/2/thresholdRange',
          message: 'Its thresholdRange (min 0, no max) admits every value request-duration can take',
        },
        {
          object: 'fail-metrics',
          path: '/spec/analysis/metrics/3',
          message: 'the deprecated threshold, which is 0 here',
        },
        {
          object: 'fail-metrics',
          path: '/spec/analysis/metrics/4',
          data: { metric: 'error-rate' },
          message: 'this metric has none of them',
        },
        {
          object: 'fail-metrics',
          path: '/spec/analysis/metrics/5/thresholdRange',
          data: { metric: 'errors' },
        },
      ],
    },
    {
      name: 'traffic steps that never reach maxWeight',
      yaml:
        canary('fail-no-step', `{ interval: 1m, maxWeight: 50, metrics: [${successRate}] }`) +
        canary('fail-decreasing', `{ stepWeights: [10, 30, 20, 60], metrics: [${successRate}] }`) +
        canary('fail-repeated', `{ stepWeights: [10, 20, 20], metrics: [${successRate}] }`) +
        canary('fail-over-100', `{ stepWeight: 30, maxWeight: 150, metrics: [${successRate}] }`),
      errors: [
        {
          object: 'fail-no-step',
          messageId: 'flaggerStalls',
          path: '/spec/analysis/stepWeight',
          data: { weight: 0, maxWeight: 50 },
          message:
            'Canary fail-no-step (Flagger) stops at 0% and is never promoted\nIts analysis sets no stepWeight, stepWeights or iterations, so the weight never leaves 0%: Flagger promotes only when the canary weight reaches maxWeight (50%), so every release stays split between the primary and the canary until someone steps in. Use a positive stepWeight, or stepWeights that increase strictly, with maxWeight at most 100.',
        },
        {
          object: 'fail-decreasing',
          path: '/spec/analysis/stepWeights',
          data: { weight: 30, maxWeight: 60 },
          message: 'From 30% its stepWeights (10, 30, 20, 60) give a next step of -10%',
        },
        {
          object: 'fail-repeated',
          path: '/spec/analysis/stepWeights',
          data: { weight: 20, maxWeight: 20 },
          message: 'give a next step of 0%',
        },
        {
          object: 'fail-over-100',
          path: '/spec/analysis/maxWeight',
          data: { weight: 100, maxWeight: 150 },
          message: 'Its maxWeight 150 is above 100, and the weight stops at 100%',
        },
      ],
    },
    {
      name: 'Argo Rollout canaries without analysis, with steps and without',
      yaml:
        rollout(
          'fail-steps',
          '{ canary: { steps: [{ setWeight: 20 }, { pause: { duration: 1h } }, { setWeight: 60 }] } }',
        ) + rollout('fail-rolling', '{ canary: { maxSurge: 1, analysis: { templates: [] } } }'),
      errors: [
        {
          object: 'fail-steps',
          messageId: 'rolloutNoAnalysis',
          path: '/spec/strategy/canary/analysis',
          message:
            'Rollout fail-steps runs its canary without analysis\nspec.strategy.canary has no background analysis and no analysis or experiment step; it goes through its 3 steps on pause timers and manual promotion alone, so nothing measures the canary and nothing aborts a bad version. Add spec.strategy.canary.analysis with an AnalysisTemplate, or an analysis step after the first setWeight.',
        },
        {
          object: 'fail-rolling',
          messageId: 'rolloutNoAnalysis',
          message: "without steps it replaces pods as a Deployment's rolling update does",
        },
      ],
    },
  ],
});

describe('the headline stands alone', () => {
  it('names the Canary and the weight it stops at; the cause and the fix are the detail', () => {
    const text = canary('checkout', `{ stepWeights: [5, 5, 50], metrics: [${successRate}] }`);
    const [f] = check(parseManifests(text, 'test.yaml').objects, { rules: [rule] }).findings;
    expect(f!.message).toBe('Canary checkout (Flagger) stops at 5% and is never promoted');
    expect(f!.detail.startsWith('From 5% its stepWeights (5, 5, 50) give a next step of 0%: ')).toBe(true);
  });
});
