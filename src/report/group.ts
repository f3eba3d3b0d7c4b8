import type { Finding } from '../rules/types.js';

export interface FindingGroup {
  file: string;
  objects: { label: string; findings: Finding[] }[];
}

/**
 * Groups findings by file, then by object, keeping the findings' order (file, line). Objects read
 * from a cluster have no file: they are grouped by namespace, cluster-scoped ones under "cluster".
 */
export function groupByFileAndObject(findings: readonly Finding[]): FindingGroup[] {
  const files = new Map<string, Map<string, Finding[]>>();
  for (const f of findings) {
    const file =
      f.location?.file ??
      (f.object ? (f.object.namespace ? `namespace ${f.object.namespace}` : 'cluster') : '(input)');
    const label = f.object
      ? f.location
        ? `${f.object.kind} ${f.object.namespace ? f.object.namespace + '/' : ''}${f.object.name}`
        : `${f.object.kind} ${f.object.name}`
      : '(file)';
    let objects = files.get(file);
    if (!objects) files.set(file, (objects = new Map()));
    let list = objects.get(label);
    if (!list) objects.set(label, (list = []));
    list.push(f);
  }
  return [...files].map(([file, objects]) => ({
    file,
    objects: [...objects].map(([label, list]) => ({ label, findings: list })),
  }));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
