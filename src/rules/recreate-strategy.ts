import { edit, notFixed } from './fixes/build.js';
import { getAt } from '../model/json-path.js';
import type { ObjectIndex } from '../model/object-index.js';
import { isJsonObject } from '../model/types.js';
import type { Workload } from '../model/workload.js';
import { isInt32 } from '../model/number-text.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'recreate-strategy',
  category: 'updates',
  defaultSeverity: 'warning',
  guide: 'Updating applications',
  description: 'The Recreate strategy stops every pod before starting new ones: each update is an outage.',
  fixSafety: { kind: 'safe' },
  messages: {
    recreate: {
      headline: 'Deployment {{name}} uses strategy Recreate, so every update stops {{pods}}',
      detail:
        'Recreate stops {{pods}} before starting new ones, an outage on each update. Use type: RollingUpdate (maxUnavailable: 0, maxSurge: 1 keeps every replica serving).',
    },
    claims: {
      headline: 'Deployment {{name}} uses strategy Recreate, so every update stops {{pods}}',
      detail:
        'Recreate stops {{pods}} before starting new ones, an outage on each update. It mounts {{claims}}: if that is a ReadWriteOnce volume Recreate is needed (a new pod on another node cannot attach it) and this finding can be silenced; otherwise use type: RollingUpdate.',
    },
  },
  fix(target) {
    if (target.messageId === 'claims')
      return notFixed(
        'decide whether the mounted claim is ReadWriteOnce (then Recreate is needed and the finding can be silenced)',
      );
    // As the message advises: a new pod is Ready before an old one stops.
    return edit(
      target.object,
      'change the strategy from Recreate to RollingUpdate, with maxSurge 1 and maxUnavailable 0',
      { op: 'replace', path: '/spec/strategy/type', value: 'RollingUpdate' },
      { op: 'add', path: '/spec/strategy/rollingUpdate', value: { maxSurge: 1, maxUnavailable: 0 } },
    );
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (w.kind !== 'Deployment' || w.declaredReplicas === 0) continue;
      if (getAt(w.object.raw, '/spec/strategy/type') !== 'Recreate') continue;
      const claims = claimNames(index, w);
      report({
        object: w.object,
        path: '/spec/strategy/type',
        messageId: claims.length ? 'claims' : 'recreate',
        data: {
          name: w.object.name,
          pods: podsStopped(index, w),
          claims: claims.map((c) => `PersistentVolumeClaim ${c}`).join(', '),
        },
      });
    }
  },
});

/** Claims the pod template mounts whose access mode is, or may be, ReadWriteOnce(Pod). */
function claimNames(index: ObjectIndex, w: Workload): string[] {
  const volumes = w.podSpec['volumes'];
  if (!Array.isArray(volumes)) return [];
  const names: string[] = [];
  for (const v of volumes) {
    const claim = isJsonObject(v) ? v['persistentVolumeClaim'] : undefined;
    const name = isJsonObject(claim) ? claim['claimName'] : undefined;
    if (typeof name !== 'string') continue;
    const pvc = index.inNamespace(w.object.namespace, 'PersistentVolumeClaim').find((o) => o.name === name);
    const modes = pvc ? getAt(pvc.raw, '/spec/accessModes') : undefined;
    // A claim every node can attach (ReadWriteMany, ReadOnlyMany) gives Recreate no reason.
    if (Array.isArray(modes) && !modes.some((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod'))
      continue;
    names.push(name);
  }
  return names;
}

/** The pods an update stops: replicas, or up to the HPA's maxReplicas when one scales the Deployment. */
function podsStopped(index: ObjectIndex, w: Workload): string {
  const hpa = index.hpasFor(w)[0];
  const max = hpa ? getAt(hpa.raw, '/spec/maxReplicas') : undefined;
  // A maxReplicas the API server cannot decode (1e308, 2^31, 1.5) bounds nothing: invalid-object reports it.
  if (isInt32(max)) return `all its pods (up to ${max})`;
  const n = w.replicas ?? 1;
  return n === 1 ? 'its only pod' : `all ${n} pods`;
}
