/**
 * One verdict across commands: every workload `kubeha simulate` rates below ok on its default
 * scenarios is explained by a static `check` finding on that workload (or on the PDB, autoscaler or
 * canary it joins with), and `fix` either repairs that finding or lists it with what the user must
 * decide. Run on every bundled example and every rule page's Bad and Good example, on the topology
 * `kubeha simulate` would use for them (their Node objects, else the default shorthand).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/engine/check.js';
import { fix } from '../src/fix/plan.js';
import { objectId } from '../src/model/kinds.js';
import { ObjectIndex } from '../src/model/object-index.js';
import type { K8sObject, ObjectRef } from '../src/model/types.js';
import type { Finding } from '../src/rules/types.js';
import { simulate, type ScenarioKind } from '../src/simulate/index.js';
import { shorthandTopology, topologyFromObjects, zonesNamedIn } from '../src/simulate/topology.js';
import { parseManifests, type LoadProblem } from '../src/sources/parse.js';

const ROOT = join(import.meta.dirname, '..');

interface Input {
  name: string;
  objects: K8sObject[];
  problems: LoadProblem[];
}

function load(name: string, files: { file: string; text: string }[]): Input {
  const objects: K8sObject[] = [];
  const problems: LoadProblem[] = [];
  for (const { file, text } of files) {
    const parsed = parseManifests(text, file);
    objects.push(...parsed.objects);
    problems.push(...parsed.problems);
  }
  return { name, objects, problems };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .flatMap((p) => (statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(p) ? [p] : []));
}

function inputs(): Input[] {
  const out: Input[] = [];
  const examples = join(ROOT, 'examples');
  for (const dir of readdirSync(examples).sort()) {
    const files = yamlFiles(join(examples, dir)).map((f) => ({
      file: relative(ROOT, f),
      text: readFileSync(f, 'utf8'),
    }));
    out.push(load(`examples/${dir}`, files));
  }
  const docs = join(ROOT, 'docs/rules');
  for (const page of readdirSync(docs).sort()) {
    const text = readFileSync(join(docs, page), 'utf8');
    for (const heading of ['Bad', 'Good']) {
      const section = text.split(/^## /m).find((s) => s.startsWith(heading));
      const yaml = section ? /```yaml\n([\s\S]*?)```/.exec(section)?.[1] : undefined;
      if (yaml) out.push(load(`docs/rules/${page} ${heading}`, [{ file: `${page}.yaml`, text: yaml }]));
    }
  }
  // The fidelity suite's cases, each on its own Nodes; the header document is the case's, not a manifest.
  const cases = join(ROOT, 'test/fidelity/cases');
  for (const file of readdirSync(cases).sort()) {
    const text = readFileSync(join(cases, file), 'utf8').replace(/^[\s\S]*?\n---\n/, '');
    out.push(load(`test/fidelity/cases/${file}`, [{ file, text }]));
  }
  return out;
}

/** The findings that are about workload `id`: on it, or on a PDB, autoscaler or canary that joins it. */
function findingsAbout(index: ObjectIndex, id: string, findings: readonly Finding[]): Finding[] {
  const w = index.workloads.find((x) => x.id === id);
  if (!w) return [];
  const related = new Set<string>([
    w.id,
    index.templateOf(w).id,
    ...index.pdbsFor(w).map((o) => o.id),
    ...index.hpasFor(w).map((o) => o.id),
    ...index.canariesFor(w).map((o) => o.id),
  ]);
  return findings.filter((f) => f.object && related.has(idOf(f.object)));
}

const idOf = (r: ObjectRef): string => objectId(r.kind, r.namespace, r.name);

/**
 * What each static rule's finding is about, as scenario kinds of the simulator: a finding explains a
 * non-ok verdict only in a scenario of these kinds. `all` is for objects the API server rejects or a
 * pod that never becomes ready: every scenario then goes wrong.
 */
const LOSS: readonly ScenarioKind[] = ['node-loss', 'zone-loss', 'drain', 'upgrade'];
const EVERY: readonly ScenarioKind[] = ['placement', 'node-loss', 'zone-loss', 'drain', 'rollout', 'upgrade'];
const EXPLAINS: Record<string, readonly ScenarioKind[] | 'all'> = {
  // One replica is down while it is replaced: a StatefulSet replaces its pod in place on a rollout.
  'single-replica': [...LOSS, 'rollout'],
  'singleton-pod': LOSS,
  'hpa-min-replicas': LOSS,
  'no-node-spread': ['node-loss', 'drain', 'upgrade'],
  'no-zone-spread': ['zone-loss', 'placement'],
  'spread-selector-mismatch': LOSS,
  'deprecated-topology-key': ['zone-loss'],
  'spread-counts-lost-nodes': EVERY,
  'required-node-anti-affinity': EVERY,
  'required-zone-anti-affinity': EVERY,
  'missing-pdb': ['drain', 'upgrade'],
  // A PDB that allows no eviction also sets the floor at every replica: any loss is below it.
  // and a rollout that takes one down at a time.
  'pdb-blocks-eviction': [...LOSS, 'rollout'],
  'pdb-overlap': ['drain', 'upgrade'],
  'pdb-matches-nothing': ['drain', 'upgrade'],
  'recreate-strategy': ['rollout'],
  'rollout-all-unavailable': ['rollout'],
  'probe-port-mismatch': 'all',
  'invalid-object': 'all',
  'deprecated-api': 'all',
  'duplicate-key': 'all',
  'yaml-syntax': 'all',
};

/**
 * A verdict the topology's size causes: a Pending reason that names a resource the nodes lack. The
 * fidelity cases make nodes full on purpose; capacity is the cluster's, which no manifest check
 * can know (`kubeha simulate` on the real topology is the tool for it).
 */
function causedByCapacity(reason: string): boolean {
  return /\d+ (Insufficient [\w./-]+|Too many pods)/.test(reason);
}

describe('one verdict across commands', () => {
  for (const input of inputs()) {
    const workloads = input.objects.filter((o) => o.kind !== 'Node');
    if (workloads.length === 0) continue;
    it(`${input.name}: every non-ok verdict of simulate has a check finding that fix repairs or lists`, () => {
      const nodes = input.objects.filter((o) => o.kind === 'Node');
      const topology =
        nodes.length > 0
          ? topologyFromObjects(nodes).topology
          : shorthandTopology({
              nodes: 6,
              zones: 3,
              nodeCpu: '4',
              nodeMemory: '16Gi',
              zoneNames: zonesNamedIn(input.objects),
            });
      const report = simulate(workloads, topology);
      const result = check(input.objects, { problems: input.problems });
      const staticFindings = result.findings.filter((f) => !f.rule.startsWith('sim-'));
      // Each finding on its own: fix drops a patch that another finding's patch already makes.
      const handledByFix = (f: Finding): boolean => {
        const planned = fix(input.objects, [f], { unsafe: true });
        return (
          planned.patches.length > 0 ||
          planned.notFixed.some((n) => !n.reason.startsWith('the finding does not match'))
        );
      };
      const index = new ObjectIndex(input.objects);
      const unexplained: string[] = [];
      for (const scenario of report.scenarios) {
        for (const o of scenario.workloads) {
          if (o.verdict === 'ok' || causedByCapacity(o.reason)) continue;
          const explains = findingsAbout(index, o.workload, staticFindings).filter((f) => {
            const kinds = EXPLAINS[f.rule];
            return (kinds === 'all' || kinds?.includes(scenario.kind)) && handledByFix(f);
          });
          if (explains.length === 0)
            unexplained.push(
              `${o.workload}: ${o.verdict} in ${scenario.id}: ${o.reason} [findings: ${findingsAbout(
                index,
                o.workload,
                staticFindings,
              )
                .map((f) => f.rule)
                .join(', ')}]`,
            );
        }
      }
      expect(unexplained).toEqual([]);
    });
  }
});
