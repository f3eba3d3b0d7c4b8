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
 * Rules whose findings about an object depend on that object alone (and the run's options): their
 * check is one loop over `index.objects` that asks nothing of the index (invalid-object: the object's
 * schema; deprecated-api: its apiVersion and kind). A round re-checks them only on the files it
 * changed; test/fix/perf-recheck.test.ts holds each to that on every manifest of the repository.
 */
export const PER_OBJECT_RULES: readonly string[] = ['invalid-object', 'deprecated-api'];

/** What the run does beyond what it returns: for tests that compare it with a run that re-checks everything. */
export interface RunTuning {
  /** The rules re-checked only on changed files (PER_OBJECT_RULES by default). */
  perObjectRules?: readonly string[];
}

/**
 * Plans and applies fixes to whole files until nothing more applies. Pure: texts in, texts out.
 * A file that does not parse is never changed.
 */
export function fixSources(
  sources: readonly SourceFile[],
  options: RunOptions = {},
  tuning: RunTuning = {},
): FixRun {
  const texts = new Map(sources.map((s) => [s.file, s.text]));
  if (options.pdbFile !== undefined && !texts.has(options.pdbFile)) texts.set(options.pdbFile, '');
  const before = new Map(texts);
  const rounds: Patch[][] = [];
  let objectsBefore: K8sObject[] | undefined;
  let final: { objects: K8sObject[]; notFixed: NotFixed[] } | undefined;
  const parsed = new Map<string, Loaded>();
  // The `---` parts applyPatches has read: a later round parses only the parts it edits.
  const known: KnownParts = new Map();
  const checked = new PerFileFindings(tuning.perObjectRules ?? PER_OBJECT_RULES);
  for (let round = 0; round <= MAX_ROUNDS; round++) {
    const loaded = load(texts, options, parsed);
    const { objects } = loaded;
    objectsBefore ??= objects;
    const last = round === MAX_ROUNDS;
    const findings = checked.analyse(loaded, options, last ? RULES : FIXING_RULES);
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
      const others = checked.analyse(loaded, options, OTHER_RULES);
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

/** One round's input: every object and problem, and what each file loaded (the same `Loaded` while its text is). */
interface Round {
  objects: K8sObject[];
  problems: LoadProblem[];
  files: Map<string, Loaded>;
}

function load(texts: Map<string, string>, options: RunOptions, cache: Map<string, Loaded>): Round {
  const objects: K8sObject[] = [];
  const problems: LoadProblem[] = [];
  const files = new Map<string, Loaded>();
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
    files.set(file, r);
    objects.push(...r.objects);
    problems.push(...r.problems);
  }
  return { objects, problems, files };
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

/**
 * The findings of each round, as one `check` with the round's rules returns them, with the rules of
 * PER_OBJECT_RULES checked only on the files whose load changed since the round before: a file keeps
 * its `Loaded`, objects included, while its text is the same, so its objects are the same objects and
 * such a rule's findings on them are the last round's. fix's later rounds change a few files of
 * thousands; invalid-object (every object against its schema) was the costliest rule of every round.
 *
 * Why the list is check's, in check's order: compareFindings orders by file first, so findings of two
 * files never tie; within a file a rule's findings come from the objects of that file in their order,
 * reported as check would report them; a rule's load problems come before its reports, as in check;
 * and findings tie only within one rule. A finding that names no file it was checked in (none does)
 * makes the rule run on everything that round.
 */
class PerFileFindings {
  /** Per rule: each file's `Loaded` when the rule last checked it, and the rule's findings on it. */
  private readonly seen = new Map<string, Map<string, { loaded: Loaded; findings: Finding[] }>>();

  constructor(private readonly perObject: readonly string[]) {}

  analyse(round: Round, options: RunOptions, rules: typeof RULES): Finding[] {
    const local = rules.filter((r) => this.perObject.includes(r.id));
    if (local.length === 0) return analyse(round.objects, round.problems, options, rules);
    const findings = analyse(
      round.objects,
      round.problems,
      options,
      rules.filter((r) => !this.perObject.includes(r.id)),
    );
    for (const rule of local) {
      // Its load problems, which check places before its reports.
      if (round.problems.some((p) => p.rule === rule.id))
        findings.push(...analyse([], round.problems, options, [rule]));
      findings.push(...this.reports(rule, round, options));
    }
    return findings.sort(compareFindings);
  }

  /** The rule's findings on the round's objects, checking only the files it has not seen as they are. */
  private reports(rule: (typeof RULES)[number], round: Round, options: RunOptions): Finding[] {
    let seen = this.seen.get(rule.id);
    if (!seen) this.seen.set(rule.id, (seen = new Map()));
    const fresh = new Map<string, Finding[]>();
    const objects: K8sObject[] = [];
    for (const [file, loaded] of round.files) {
      if (seen.get(file)?.loaded === loaded) continue;
      fresh.set(file, []);
      objects.push(...loaded.objects);
    }
    if (objects.length > 0) {
      for (const f of analyse(objects, [], options, [rule])) {
        const mine = f.location && fresh.get(f.location.file);
        if (!mine) {
          seen.clear();
          return analyse(round.objects, [], options, [rule]);
        }
        mine.push(f);
      }
    }
    for (const [file, findings] of fresh) seen.set(file, { loaded: round.files.get(file)!, findings });
    return [...round.files.keys()].flatMap((file) => seen.get(file)!.findings);
  }
}
