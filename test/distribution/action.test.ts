// The composite GitHub Action (action.yml) run locally, step by step as the runner would: its inputs'
// defaults and `${{ … }}` expressions substituted, each `run:` step in bash (`bash --noprofile
// --norc -eo pipefail`, the runner's default for shell: bash) with GITHUB_OUTPUT, GITHUB_ACTION_PATH
// and GITHUB_WORKSPACE set, `if:` conditions evaluated, and `uses:` steps (setup-node, upload-sarif)
// recorded with their inputs rather than run. The action's checkout is a copy of this working tree,
// so its install step (npm ci, which builds kubeha) proves no published npm package is needed.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, checkoutHead, mustRun, runProgram, tempDir } from './support.js';

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const require = createRequire(import.meta.url);
const sarifSchema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;

interface Outcome {
  ran: string[];
  used: { uses: string; with: Record<string, string> }[];
  outputs: Record<string, Record<string, string>>;
  failed?: { step: string; code: number | null; stderr: string };
}

/** Runs the action's steps (from index `from`) with the inputs' defaults, in a workspace. */
function runAction(actionPath: string, workspace: string, from = 0): Outcome {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const outcome: Outcome = { ran: [], used: [], outputs: {} };
  const value = (expr: string): string => {
    const e = expr.trim();
    if (e === 'github.action_path') return actionPath;
    if (e === 'github.workspace') return workspace;
    let m = /^inputs\.([\w-]+)$/.exec(e);
    if (m) return inputs[m[1]!] ?? '';
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
    if (m) return outcome.outputs[m[1]!]?.[m[2]!] ?? '';
    throw new Error(`expression not understood by this test: ${e}`);
  };
  const expand = (s: string) => s.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => value(e));
  const condition = (cond: string): boolean => {
    const m = /^(.+?)\s*(==|!=)\s*'([^']*)'$/.exec(cond.trim());
    if (!m) throw new Error(`condition not understood by this test: ${cond}`);
    return (value(m[1]!) === m[3]) === (m[2] === '==');
  };

  for (const [index, step] of action.runs.steps.entries()) {
    if (index < from) continue;
    const label = step.name ?? step.uses ?? `step ${index}`;
    if (step.if && !condition(step.if)) continue;
    if (step.uses) {
      outcome.used.push({
        uses: step.uses,
        with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(String(v))])),
      });
      continue;
    }
    expect(step.shell, label).toBe('bash'); // composite run steps must name their shell
    const output = join(workspace, '..', `output-${index}`);
    writeFileSync(output, '');
    const script = join(workspace, '..', `step-${index}.sh`);
    writeFileSync(script, expand(step.run!));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // npm's cache stands in for the registry the runner reaches.
      npm_config_prefer_offline: 'true',
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: output,
      NO_COLOR: '1',
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(String(v));
    const cwd = step['working-directory'] ? expand(step['working-directory']) : workspace;
    const r = runProgram('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
    outcome.ran.push(label);
    if (step.id) {
      outcome.outputs[step.id] = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
    if (r.code !== 0) {
      outcome.failed = { step: label, code: r.code, stderr: r.stderr + r.stdout.slice(-4000) };
      break;
    }
  }
  return outcome;
}

function validSarif(file: string): { runs: { results: { ruleId: string }[] }[] } {
  const log = JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
  // As test/report/formatters.test.ts: the schema's patterns are not Unicode-mode regular expressions.
  const ajv = new AjvDraft04.default({
    allErrors: true,
    strict: false,
    validateFormats: false,
    unicodeRegExp: false,
  });
  expect(ajv.validate(sarifSchema, log), JSON.stringify(ajv.errors)).toBe(true);
  return log;
}

describe('the GitHub Action', { timeout: 600_000 }, () => {
  let work: string;
  let actionPath: string;

  beforeAll(() => {
    work = tempDir('action');
    // The action's checkout: the committed tree, without node_modules or dist.
    actionPath = join(work, 'action');
    mkdirSync(actionPath);
    checkoutHead(actionPath);
  }, 120_000);
  afterAll(() => {
    if (work) mustRun('rm', ['-rf', work]);
  }, 120_000);

  it('is a composite action whose steps are what this test runs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.map((s) => s.uses ?? s.id ?? s.name)).toEqual([
      'actions/setup-node@v4',
      "Install kubeha from the action's checkout",
      'check',
      'github/codeql-action/upload-sarif@v3',
      'Fail on findings',
    ]);
  });

  it('installs kubeha from its checkout, writes valid SARIF, uploads it and fails on errors', () => {
    const workspace = join(work, 'bad');
    cpSync(join(ROOT, 'examples', 'bad-app'), join(workspace, 'k8s'), { recursive: true });
    const outcome = runAction(actionPath, workspace);
    expect(outcome.ran.slice(0, 2), JSON.stringify(outcome.failed)).toEqual([
      "Install kubeha from the action's checkout",
      'Check',
    ]);

    expect(existsSync(join(actionPath, 'dist', 'cli', 'bin.js'))).toBe(true);
    const sarif = join(workspace, 'kubeha.sarif');
    expect(outcome.outputs['check']).toEqual({ 'sarif-file': 'kubeha.sarif', 'exit-code': '1' });
    const log = validSarif(sarif);
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain('single-replica');
    expect(outcome.used).toEqual([
      { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
      {
        uses: 'github/codeql-action/upload-sarif@v3',
        with: { sarif_file: 'kubeha.sarif', category: 'kubeha' },
      },
    ]);
    // The last step fails the job, after the upload.
    expect(outcome.failed?.step).toBe('Fail on findings');
    expect(outcome.failed?.code).toBe(1);
  });

  it('passes on a workload set with no errors, and says a usage error as one', () => {
    const good = join(work, 'good');
    cpSync(join(ROOT, 'examples', 'good-app'), join(good, 'k8s'), { recursive: true });
    const passed = runAction(actionPath, good, 2); // kubeha is installed by the previous test
    expect(passed.failed).toBeUndefined();
    expect(passed.outputs['check']!['exit-code']).toBe('0');
    expect(validSarif(join(good, 'kubeha.sarif')).runs[0]!.results).toEqual([]);

    const empty = join(work, 'empty');
    mkdirSync(empty);
    const usage = runAction(actionPath, empty, 2); // no manifest at all: exit 2, no upload
    expect(usage.failed?.step).toBe('Check');
    expect(usage.failed?.code).toBe(2);
    expect(usage.used).toEqual([]);
  });
});
