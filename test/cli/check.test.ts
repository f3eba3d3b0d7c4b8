import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

const ONE_REPLICA = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubeha-cli-'));
  await writeFile(join(dir, 'web.yaml'), ONE_REPLICA);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('kubeha check', () => {
  it('exits 1 on an error finding and prints it at its file and line', async () => {
    const r = await run(['check', 'web.yaml', '--rule', 'single-replica'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'web.yaml\n  Deployment default/web\n    5:3     error   Deployment web runs 1 replica',
    );
    expect(r.stdout).toContain('1 problem (1 error, 0 warnings, 0 info) in 1 object, 1 workload');
  });

  it('reads stdin with -f - (helm template | kubeha check -f -)', async () => {
    const r = await run(['check', '-f', '-', '--rule', 'single-replica', '-o', 'json'], {
      cwd: dir,
      stdin: ONE_REPLICA,
    });
    const out = JSON.parse(r.stdout);
    expect(out.findings[0].location).toEqual({ file: '<stdin>', line: 5, column: 3 });
  });

  it('--fail-on sets the threshold: none never fails, info fails on anything', async () => {
    expect((await run(['check', 'web.yaml', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
    expect(
      (await run(['check', 'web.yaml', '--rule', 'hpa-missing', '--fail-on', 'error'], { cwd: dir })).code,
    ).toBe(0);
  });

  it('exits 2 with one line on stderr for a missing path, an unknown flag, a bad value or an unknown rule', async () => {
    for (const args of [
      ['check', 'nope.yaml'],
      ['check', 'web.yaml', '--bogus'],
      ['check', 'web.yaml', '--fail-on', 'sometimes'],
      ['check', 'web.yaml', '--kube-version', 'latest'],
      ['check', 'web.yaml', '--rule', 'no-such-rule'],
      ['check'],
    ]) {
      const r = await run(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
    expect((await run(['check', 'nope.yaml'], { cwd: dir })).stderr).toBe(
      'kubeha: cannot read nope.yaml: no such file or directory\n',
    );
  });

  it('honours the kubeha.io/ignore annotation and counts what it silenced', async () => {
    const text = ONE_REPLICA.replace(
      'metadata: {name: web}',
      'metadata: {name: web, annotations: {kubeha.io/ignore: "single-replica,missing-pdb"}}',
    );
    const r = await run(['check', '-f', '-', '--rule', 'single-replica', '-o', 'json'], { stdin: text });
    const out = JSON.parse(r.stdout);
    expect(out.findings).toEqual([]);
    expect(out.summary.suppressed).toBe(1);
    expect(r.code).toBe(0);
  });

  it('reads .kubeha.yaml from the working folder: severities, rules switched off, target version', async () => {
    const cfgDir = await mkdtemp(join(tmpdir(), 'kubeha-cfg-'));
    await writeFile(join(cfgDir, 'web.yaml'), ONE_REPLICA);
    await writeFile(
      join(cfgDir, '.kubeha.yaml'),
      'kubeVersion: "1.29"\nrules:\n  single-replica: warning\n  hpa-missing: off\n',
    );
    const r = await run(['check', '.', '-o', 'json', '--rule', 'single-replica,hpa-missing'], {
      cwd: cfgDir,
    });
    const out = JSON.parse(r.stdout);
    expect(out.findings.map((f: { rule: string; severity: string }) => `${f.rule}:${f.severity}`)).toEqual([
      'single-replica:warning',
    ]);
    expect(r.code).toBe(0);
    await writeFile(join(cfgDir, '.kubeha.yaml'), 'rules:\n  single-replika: off\n');
    const bad = await run(['check', '.'], { cwd: cfgDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('kubeha: .kubeha.yaml: rules.single-replika: no such rule (see kubeha rules)\n');
    await writeFile(join(cfgDir, '.kubeha.yaml'), 'kubeVersion: 1.30\n');
    expect((await run(['check', '.'], { cwd: cfgDir })).stderr).toContain('quote it ("1.30")');
    await rm(cfgDir, { recursive: true, force: true });
  });

  it('keeps going past bad documents: a syntax error is a finding and the next document is analysed', async () => {
    const text = 'kind: [\n---\n' + ONE_REPLICA;
    const r = await run(['check', '-f', '-', '-o', 'json', '--rule', 'single-replica,yaml-syntax'], {
      stdin: text,
    });
    const rules = JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(['yaml-syntax', 'single-replica']);
  });
});

describe('kubeha check and the simulator', () => {
  it('runs the sim-* rules with --simulate, or when --rule names one; never silently nothing', async () => {
    const ids = async (args: string[]): Promise<string[]> => {
      const r = await run(['check', 'examples/simulate', '-o', 'json', '--fail-on', 'none', ...args]);
      return (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    };
    expect(await ids([])).not.toContain('sim-outage');
    const asked = await ids(['--rule', 'sim-outage']);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['sim-outage']));
    expect(await ids(['--simulate', '--rule', 'sim-outage'])).toEqual(asked);
  });
});

describe('kubeha rules and explain', () => {
  it('lists every rule, as text and as JSON', async () => {
    const text = await run(['rules']);
    expect(text.stdout).toContain('single-replica');
    expect(text.stdout.startsWith('workload\n')).toBe(true);
    const json = JSON.parse((await run(['rules', '-o', 'json'])).stdout) as { id: string }[];
    expect(json.map((r) => r.id)).toContain('pdb-blocks-eviction');
  });

  it("prints a rule's page, and exits 2 for an unknown rule", async () => {
    const r = await run(['explain', 'single-replica']);
    expect(r.stdout).toContain('Why it matters');
    expect(r.stdout).toContain('spec.replicas');
    expect(r.stdout).toContain('Severity: error');
    expect(r.stdout).not.toMatch(/\*\*|^#+ |^```/m);
    expect((await run(['explain', 'nope'])).code).toBe(2);
  });

  it('prints the version and help with exit 0', async () => {
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await run(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--fail-on');
  });
});

describe('kubeha check on overlapping inputs', () => {
  it('notes objects defined in more than one file, since every join would see both copies', async () => {
    const r = await run(['check', 'examples/bad-app', 'examples/good-app', '--rule', 'single-replica']);
    expect(r.stderr).toMatch(
      /^kubeha: note: \d+ objects are defined in more than one file \(shop\/Deployment\/api in examples\/bad-app\/api.yaml and examples\/good-app\/api.yaml, …\); kubeha joins all its inputs as one set/,
    );
    expect((await run(['check', 'examples/good-app'])).stderr).toBe('');
  });
});

describe('colour', () => {
  it('is off when output is not a terminal, and on with --color', async () => {
    for (const args of [['explain', 'single-replica'], ['rules'], ['check', 'examples/seed']]) {
      expect((await run(args, { env: {} })).stdout, args.join(' ')).not.toContain('\u001b[');
      expect((await run([...args, '--color'], { env: {} })).stdout, args.join(' ')).toContain('\u001b[');
    }
  });
});
