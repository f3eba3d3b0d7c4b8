import { edit, notFixed, setText, valueAt } from './fixes/build.js';
import {
  constraintSelectsOwnPods,
  managedByWorkload,
  podIdentityOf,
  replicaCount,
  topologyLevel,
  topologySpreadConstraints,
} from '../model/affinity.js';
import { joinPath } from '../model/json-path.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { describe } from '../model/workload.js';
import { isInt32 } from '../model/number-text.js';
import { defineRule } from './define-rule.js';

/**
 * Whether the pods tolerate every NoSchedule taint (an empty-key Exists toleration without an effect
 * or with NoSchedule): then no node is left out of the count by its taints, and nodeTaintsPolicy
 * changes nothing.
 */
function toleratesEveryTaint(podSpec: JsonObject): boolean {
  const list = podSpec['tolerations'];
  return (
    Array.isArray(list) &&
    list.some(
      (t) =>
        isJsonObject(t) &&
        t['operator'] === 'Exists' &&
        (t['key'] === undefined || t['key'] === '') &&
        (t['effect'] === undefined || t['effect'] === '' || t['effect'] === 'NoSchedule'),
    )
  );
}

/** "zones", "nodes", or "domains of <key>" for the message. */
function domainsOf(key: string): string {
  const level = topologyLevel(key);
  return level === 'zone' ? 'zones' : level === 'node' ? 'nodes' : `domains of ${key}`;
}

export default defineRule({
  id: 'spread-counts-lost-nodes',
  category: 'scheduling',
  defaultSeverity: 'warning',
  guide: 'Schedule replicas across nodes',
  description:
    'A DoNotSchedule spread constraint that still counts lost and cordoned nodes leaves replacements Pending after a failure or drain.',
  fixSafety: { kind: 'safe' },
  messages: {
    ignored: {
      headline: '{{workload}}: DoNotSchedule spread on {{topologyKey}} counts nodes its pods cannot use',
      detail:
        'Its topology spread constraint on {{topologyKey}} has nodeTaintsPolicy {{policy}}, so nodes its pods cannot use still count as {{domains}}: a lost node or zone (tainted unreachable, its pods Terminating and no longer counted) or a cordoned node during a drain holds none of its pods, and every replacement that would put more than maxSkew {{maxSkew}} above that empty domain is refused. The replicas stay Pending until the node comes back. Set nodeTaintsPolicy: Honor, which leaves nodes whose taints the pods do not tolerate out of the count.',
    },
    minDomains: {
      headline: '{{workload}}: minDomains {{minDomains}} strands replacements when a zone is lost',
      detail:
        'Its topology spread constraint on {{topologyKey}} is DoNotSchedule with minDomains {{minDomains}} on a cluster of {{zones}} zones: once a zone is lost (its nodes tainted, left out of the count), fewer than {{minDomains}} zones are eligible, kube-scheduler then takes the global minimum as 0, and every zone may hold at most maxSkew {{maxSkew}} of its pods, so the replacements stay Pending until the zone comes back. Keep minDomains below the zone count, or leave it out.',
    },
  },
  fix(target) {
    if (target.messageId === 'minDomains')
      return notFixed(
        'decide what minDomains is for: below the zone count a zone loss is absorbed; at the zone count it holds pods back until a node in a new zone exists (a cluster autoscaler can make one)',
      );
    const constraint = valueAt(target.object, target.path);
    if (!isJsonObject(constraint))
      return notFixed('the constraint is not where the rule found it: run kubeha check again');
    const path = joinPath(target.path, 'nodeTaintsPolicy');
    return edit(
      target.object,
      `${setText('nodeTaintsPolicy', constraint['nodeTaintsPolicy'], 'Honor')} on the spread constraint`,
      constraint['nodeTaintsPolicy'] === undefined
        ? { op: 'add', path, value: 'Honor' }
        : { op: 'replace', path, value: 'Honor' },
    );
  },
  check({ index, settings, report }) {
    for (const w of index.workloads) {
      // A constraint that strands a replacement needs other replicas to skew against.
      const count = replicaCount(index, w);
      if (!count || count.peak < 2 || managedByWorkload(w)) continue;
      const template = index.templateOf(w);
      if (w.templateRef && template === w) continue;
      if (toleratesEveryTaint(template.podSpec)) continue;
      const pod = podIdentityOf(index, w);
      for (const c of topologySpreadConstraints(template.podSpec, template.podSpecPath)) {
        if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
        if (!c.topologyKey || constraintSelectsOwnPods(c, pod).verdict !== 'yes') continue;
        // A maxSkew or minDomains the API server cannot decode is invalid-object's finding: the object never
        // reaches a scheduler, and the messages would quote the number.
        if (!decodes(c.maxSkew) || !decodes(c.minDomains)) continue;
        // KEP-3022: fewer eligible domains than minDomains make the global minimum 0.
        if (
          c.minDomains !== undefined &&
          topologyLevel(c.topologyKey) === 'zone' &&
          c.minDomains >= settings.zones
        )
          report({
            object: template.object,
            path: joinPath(c.path, 'minDomains'),
            messageId: 'minDomains',
            data: {
              workload: describe(w),
              topologyKey: c.topologyKey,
              minDomains: c.minDomains,
              zones: settings.zones,
              maxSkew: c.maxSkew ?? 1,
            },
          });
        if (c.nodeTaintsPolicy === 'Honor') continue;
        report({
          object: template.object,
          path: c.path,
          messageId: 'ignored',
          data: {
            workload: describe(w),
            topologyKey: c.topologyKey,
            policy: c.nodeTaintsPolicy ?? 'Ignore (the default)',
            domains: domainsOf(c.topologyKey),
            maxSkew: c.maxSkew ?? 1,
          },
        });
      }
    }
  },
});

/** An absent field, or an int32 the API server decodes. */
function decodes(v: number | undefined): boolean {
  return v === undefined || isInt32(v);
}
