import { check, compareFindings } from '../engine/check.js';
import type { K8sObject } from '../model/types.js';
import { rules as catalog } from '../rules/index.js';
import type { Finding } from '../rules/types.js';
import { parseManifests, type LoadProblem } from '../sources/parse.js';
import { applyPatches, OVERLAPS, type KnownParts } from './apply.js';
import { fix } from './plan.js';
import { reloadFile, type PartsRead } from './reload.js';
import type { FixOptions, NotFixed, Patch } from './types.js';

export interface SourceFile {
  file: string;
  text: string;
}

export interface FixRun {
  /** Every input file (and a new --pdb-file) with its text before and after. */
  files: { file: string; before: string; after: string }[];
  /** The patches applied, round by round (each round's paths refer to the text the round before left). */
  rounds: Patch[][];
  /** What is left for the user, with the reason, after the last round. */
  notFixed: NotFixed[];
  /** The unsafe fixes applied (with --unsafe-fixes), each with what to review or do before applying it to a cluster. */
  review: Patch[];
  /** The objects before and after, as loaded (for --verify). */
  objectsBefore: K8sObject[];
  objectsAfter: K8sObject[];
}

export interface RunOptions extends FixOptions {
  /** Namespace of objects that name none. */
  namespace?: string;
}

/** Fixes can reveal findings (a merged key brings back a term with a deprecated key): a few rounds reach the fixed point. */
const MAX_ROUNDS = 5;

/** The static and loader rules; simulator verdicts and live rules have no planners. */
const RULES = catalog.filter((r) => (r.scope ?? 'static') !== 'live' && r.category !== 'simulation');

/**
 * The rules that can plan an edit. A round before the last only needs their findings: the others
 * become "not fixed" lines, and only the last round's are shown. Leaving them out of those rounds
 * matters when they are costly on the input (pdb-overlap is pairwise over the PDBs fix adds).
 */
const FIXING_RULES = RULES.filter((r) => r.fix !== undefined);

/** The rules without a planner: at the fixed point, they complete the fixing rules' findings. */
const OTHER_RULES = RULES.filter((r) => r.fix === undefined);

/**
 * Plans and applies fixes to whole files until nothing more applies. Pure: texts in, texts out.
 * A file that does not parse is never changed.
 */
export function fixSources(sources: readonly SourceFile[], options: RunOptions = {}): FixRun {
  const texts = new Map(sources.map((s) => [s.file, s.text]));
  if (options.pdbFile !== undefined && !texts.has(options.pdbFile)) texts.set(options.pdbFile, '');
  const before = new Map(texts);
  const rounds: Patch[][] = [];
  let objectsBefore: K8sObject[] | undefined;
  let final: { objects: K8sObject[]; notFixed: NotFixed[] } | undefined;
  const parsed = new Map<string, Loaded>();
  // The `---` parts applyPatches has read: a later round parses only the parts it edits.
  const known: KnownParts = new Map();
  for (let round = 0; round <= MAX_ROUNDS; round++) {
    const { objects, problems } = load(texts, options, parsed);
    objectsBefore ??= objects;
    const last = round === MAX_ROUNDS;
    const findings = analyse(objects, problems, options, last ? RULES : FIXING_RULES);
    let plan = fix(objects, findings, options);
    const applied: Patch[] = [];
    const skipped: NotFixed[] = [];
    if (!last) {
      const byFile = patchesByFile(plan.patches);
      for (const [file, text] of texts) {
        const mine = byFile.get(file);
        if (!mine) continue;
        const r = applyPatches(text, file, mine, known);
        texts.set(file, r.text);
        applied.push(...r.applied);
        for (const s of r.skipped) {
          if (s.reason !== OVERLAPS)
            skipped.push({
              rule: s.patch.rule,
              object: s.patch.object,
              reason: `${s.patch.description}: ${s.reason}`,
            });
        }
      }
    }
    if (applied.length === 0 && !last) {
      // The fixed point: the same objects, this time with every rule, for the "not fixed" lines.
      // The fixing rules' findings are the ones just planned (so are the patches and the skipped ones);
      // only the other rules run. Sorted together, the findings are those of one run with every rule:
      // the order ties only findings of one rule, which stay in the order that rule reported them.
      const others = analyse(objects, problems, options, OTHER_RULES);
      plan = fix(objects, [...findings, ...others].sort(compareFindings), options);
    }
    final = { objects, notFixed: [...plan.notFixed, ...skipped] };
    if (applied.length === 0) break;
    rounds.push(applied);
  }
  return {
    files: [...texts].map(([file, after]) => ({ file, before: before.get(file) ?? '', after })),
    rounds,
    notFixed: final?.notFixed ?? [],
    review: rounds.flat().filter((p) => p.unsafe !== undefined),
    objectsBefore: objectsBefore ?? [],
    objectsAfter: final?.objects ?? [],
  };
}

type Loaded = { text: string; objects: K8sObject[]; problems: LoadProblem[]; parts?: PartsRead };

function load(
  texts: Map<string, string>,
  options: RunOptions,
  cache: Map<string, Loaded>,
): { objects: K8sObject[]; problems: LoadProblem[] } {
  const objects: K8sObject[] = [];
  const problems: LoadProblem[] = [];
  for (const [file, text] of texts) {
    // A round changes few files: the others keep what the last round parsed (parsing is most of fix's time).
    let r = cache.get(file);
    if (r?.text !== text) {
      const parse = { defaultNamespace: options.namespace ?? 'default' };
      // A file fix edited: only its changed `---` parts are parsed again, when that reads the same.
      const parts = r ? (r.parts ?? new Map()) : undefined;
      const reloaded = parts && reloadFile(text, file, parse, parts);
      r = reloaded
        ? { text, ...reloaded, parts }
        : { text, ...parseManifests(text, file, parse), ...(parts ? { parts } : {}) };
      cache.set(file, r);
    }
    objects.push(...r.objects);
    problems.push(...r.problems);
  }
  return { objects, problems };
}

/** The patches of each file, in plan order: each file then looks at its own, not at every patch. */
function patchesByFile(patches: readonly Patch[]): Map<string, Patch[]> {
  const byFile = new Map<string, Patch[]>();
  for (const p of patches) {
    const list = byFile.get(p.file);
    if (list) list.push(p);
    else byFile.set(p.file, [p]);
  }
  return byFile;
}

function analyse(
  objects: readonly K8sObject[],
  problems: readonly LoadProblem[],
  options: RunOptions,
  rules: typeof RULES,
): Finding[] {
  return check(objects, {
    rules,
    problems,
    ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
    ...(options.zones !== undefined ? { zones: options.zones } : {}),
  }).findings;
}
