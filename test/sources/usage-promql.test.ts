import { describe, expect, it } from 'vitest';
import {
  containerSelector,
  cpuQuery,
  DEFAULT_QUERY_NAMES,
  escapeRegex,
  memoryQuery,
  memoryRequestsQuery,
  oomKillsQuery,
  oneOf,
  parsePromDuration,
  podLabelsQuery,
  sanitizeLabelName,
  splitMetric,
} from '../../src/sources/usage-promql.js';

describe('the PromQL of the usage history (VPA v1.8.1 history_provider.go, plus namespace and pods)', () => {
  it("builds VPA's CPU and memory queries with the modern cAdvisor labels and no job by default", () => {
    const selector = containerSelector(DEFAULT_QUERY_NAMES, 'shop', ['web-1', 'web-2']);
    expect(cpuQuery(DEFAULT_QUERY_NAMES, selector, 3600)).toBe(
      'rate(container_cpu_usage_seconds_total{namespace="shop", pod=~"web-1|web-2", container!="POD", container!=""}[3600s])',
    );
    expect(memoryQuery(DEFAULT_QUERY_NAMES, selector)).toBe(
      'container_memory_working_set_bytes{namespace="shop", pod=~"web-1|web-2", container!="POD", container!=""}',
    );
  });

  it("puts VPA's job matcher first when a cAdvisor job is named, and = for a single pod", () => {
    const names = { ...DEFAULT_QUERY_NAMES, cadvisorJob: 'kubelet', containerPodNameLabel: 'pod_name' };
    expect(containerSelector(names, 'a', ['p.1'])).toBe(
      'job="kubelet", namespace="a", pod_name="p.1", container!="POD", container!=""',
    );
  });

  it('escapes regex metacharacters and string quotes so a name matches only itself', () => {
    expect(escapeRegex('a.b+c')).toBe('a\\.b\\+c');
    // The PromQL string literal doubles the backslash: Prometheus reads a\.b back.
    expect(oneOf('pod', ['a.b', 'c'])).toBe('pod=~"a\\\\.b|c"');
    expect(oneOf('namespace', ['say "hi"'])).toBe('namespace="say \\"hi\\""');
  });

  it('asks for the last time each pod-labels series was seen, keeping the matchers of the metric given', () => {
    expect(podLabelsQuery(DEFAULT_QUERY_NAMES, ['a', 'b'], 691200, 3600)).toBe(
      'max_over_time(timestamp(kube_pod_labels{namespace=~"a|b"})[691200s:3600s])',
    );
    const vpaStyle = { ...DEFAULT_QUERY_NAMES, podLabelsMetric: 'kube_pod_labels{job="ksm", x=~"a,b"}[8d]' };
    expect(podLabelsQuery(vpaStyle, ['a'], 60, 60)).toBe(
      'max_over_time(timestamp(kube_pod_labels{job="ksm", x=~"a,b", namespace="a"})[60s:60s])',
    );
  });

  it('splits a metric selector and refuses what is not one', () => {
    expect(splitMetric('up')).toEqual({ metric: 'up', matchers: [] });
    expect(splitMetric('up{job="kubernetes-pods"}')).toEqual({
      metric: 'up',
      matchers: ['job="kubernetes-pods"'],
    });
    expect(() => splitMetric('rate(x[5m])')).toThrow(/not a metric selector/);
  });

  it("names labels as kube-state-metrics does (every character outside [a-zA-Z0-9_] is '_')", () => {
    expect(sanitizeLabelName('app.kubernetes.io/name')).toBe('app_kubernetes_io_name');
    expect(sanitizeLabelName('tier')).toBe('tier');
  });

  it("reads Prometheus durations as VPA's flags take them", () => {
    expect(parsePromDuration('8d')).toBe(691200);
    expect(parsePromDuration('1h')).toBe(3600);
    expect(parsePromDuration('1h30m')).toBe(5400);
    expect(parsePromDuration('2w')).toBe(1209600);
    expect(parsePromDuration('10x')).toBeUndefined();
    expect(parsePromDuration('')).toBeUndefined();
    expect(parsePromDuration('1h ')).toBeUndefined();
  });

  it('asks for the minutes of OOM kills only, and the memory requests of those pods', () => {
    const rose =
      '(kube_pod_container_status_restarts_total{namespace="a", pod=~"p1|p2"} - kube_pod_container_status_restarts_total{namespace="a", pod=~"p1|p2"} offset 60s > 0)';
    const said =
      '(kube_pod_container_status_last_terminated_reason{namespace="a", pod=~"p1|p2", reason="OOMKilled"} > 0)';
    expect(oomKillsQuery(DEFAULT_QUERY_NAMES, 'a', ['p1', 'p2'], 86400)).toBe(
      `(${rose} and on(namespace, pod, container) ${said})[86400s:60s]`,
    );
    expect(memoryRequestsQuery(DEFAULT_QUERY_NAMES, 'a', ['p1'])).toBe(
      'kube_pod_container_resource_requests{namespace="a", pod="p1", resource="memory"}',
    );
  });
});
