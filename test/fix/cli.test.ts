import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ruleById } from '../../src/rules/index.js';
import { run, ROOT } from '../cli/run.js';

/** Whether the rule leaves its findings to the user (it declares no fix). */
const noFix = (id: string): boolean => ruleById(id)?.fixSafety.kind === 'none';

const temps: string[] = [];
/** The examples are what the guide prints: fix works on copies. */
function copyOf(example: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeha-fix-'));
  temps.push(dir);
  cpSync(join(ROOT, 'examples', example), dir, { recursive: true });
  return dir;
}
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('kubeha fix', () => {
  it('prints a diff and changes nothing by default (exit 1 while fixes are pending)', async () => {
    const dir = copyOf('seed');
    const before = snapshot(dir);
    const r = await run(['fix', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- a/spread-host-az.yaml\n+++ b/spread-host-az.yaml\n');
    expect(r.stdout).toContain('-piVersion: apps/v1\n+apiVersion: apps/v1\n');
    expect(r.stdout).toContain('-apiVersion: policy/v1beta1\n+apiVersion: policy/v1\n');
    expect(r.stdout).toMatch(
      /^not fixed: spread-host-az\.yaml: Deployment spread-host-az: missing-readiness-probe: /m,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("--write fixes the seed's Deployment and PDB; check then reports only what needs the user's choice; a second fix finds nothing", async () => {
    const dir = copyOf('seed');
    const w = await run(['fix', '.', '--write'], { cwd: dir });
    expect(w.code).toBe(0);
    expect(w.stdout).toContain('fixed spread-host-az.yaml\n');
    const after = snapshot(dir);
    expect(after['my-svc-pdb.yaml']).toBe(
      readFileSync(join(ROOT, 'examples/seed/my-svc-pdb.yaml'), 'utf8').replace(
        'policy/v1beta1',
        'policy/v1',
      ),
    );
    expect(after['spread-host-az.yaml']).toContain(
      'whenUnsatisfiable: DoNotSchedule\n        nodeTaintsPolicy: Honor\n',
    );
    const c = await run(['check', '.', '-o', 'json', '--fail-on', 'none'], { cwd: dir });
    const left = (JSON.parse(c.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    // The user's own PDB keeps IfHealthyBudget until they choose otherwise: AlwaysAllow is an unsafe fix.
    expect(left.filter((id) => !noFix(id))).toEqual(['pdb-unhealthy-policy-unset']);
    const again = await run(['fix', '.'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('---');
    expect(snapshot(dir)).toEqual(after);
  });

  it("--write on the bad app leaves only findings that need the user's choice, and unsafe fixes", async () => {
    const dir = copyOf('bad-app');
    const w = await run(['fix', '.', '--write'], { cwd: dir });
    expect(w.code).toBe(0);
    expect(w.stdout).not.toMatch(/^review: /m);
    expect(w.stdout).toMatch(/left to decide \(4 with an unsafe fix: --unsafe-fixes\)\n$/);
    const c = await run(['check', '.', '-o', 'json', '--fail-on', 'none'], { cwd: dir });
    const left = (JSON.parse(c.stdout) as { findings: { rule: string; message: string }[] }).findings;
    // Planned rules remain only where their fix is unsafe: each is listed as such.
    const planned = left.filter((f) => !noFix(f.rule));
    // The cache is a Redis: a second replica would hold its own data, so its replicas stay at 1 (and
    // with one replica there is nothing to spread over zones).
    // The api's own PDB (moved to policy/v1) keeps IfHealthyBudget; the PDBs fix adds set AlwaysAllow.
    expect(planned.map((f) => f.rule).sort()).toEqual([
      'hpa-replicas-conflict',
      'pdb-unhealthy-policy-unset',
      'single-replica',
      'singleton-pod',
    ]);
    for (const f of planned)
      expect(w.stdout).toMatch(
        new RegExp(`^not fixed: [^\\n]*: ${f.rule}: an unsafe fix \\(--unsafe-fixes applies it\\): `, 'm'),
      );
    // Comments the author wrote survive.
    expect(readFileSync(join(dir, 'api.yaml'), 'utf8')).toContain('# Copied from a blog post in 2020.\n');
    expect(readFileSync(join(dir, 'frontend.yaml'), 'utf8')).toContain(
      'type: RollingUpdate # "faster" deploys\n',
    );
  });

  const verdicts = async (dir: string, extra: string[] = []): Promise<Record<string, string>> => {
    const args = ['simulate', '.', '--nodes', '6', '--zones', '3', '-o', 'json', '--fail-on', 'none'];
    const r = await run([...args, '-s', 'node-loss', '-s', 'zone-loss', '-s', 'drain', ...extra], {
      cwd: dir,
    });
    const out = JSON.parse(r.stdout) as { workloads: { workload: string; verdict: string }[] };
    return Object.fromEntries(out.workloads.map((w) => [w.workload, w.verdict]));
  };

  it('after --write, simulate rates the bad app ok on node loss, zone loss and drains except where an unsafe fix is pending', async () => {
    const dir = copyOf('bad-app');
    expect((await run(['fix', '.', '--write'], { cwd: dir })).code).toBe(0);
    const left = (await run(['fix', '.'], { cwd: dir })).stdout;
    // Each workload that is not ok, and the unsafe fix left out that leaves it so.
    const cause: Record<string, RegExp> = {
      // 4 replicas over 3 zones put 2 in one zone, more than the PDB's maxUnavailable 1; the 4 is the
      // spec.replicas next to an HPA.
      'shop/Deployment/api': /^not fixed: api\.yaml: Deployment api: hpa-replicas-conflict: an unsafe fix/m,
      // A Redis: raising its one replica would split its data, so that fix waits for review.
      'shop/StatefulSet/cache': /^not fixed: cache\.yaml: StatefulSet cache: single-replica: an unsafe fix/m,
      // One bare Pod: a node loss takes it.
      'shop/Pod/debug-shell': /^not fixed: cache\.yaml: Pod debug-shell: singleton-pod: an unsafe fix/m,
    };
    for (const extra of [[], ['--worst-case']]) {
      const v = await verdicts(dir, extra);
      expect(
        Object.keys(v).filter((w) => v[w] === 'ok'),
        extra.join(' '),
      ).toEqual(['shop/Deployment/frontend']);
      expect(
        Object.keys(v)
          .filter((w) => v[w] !== 'ok')
          .sort(),
        extra.join(' '),
      ).toEqual(Object.keys(cause).sort());
    }
    for (const listed of Object.values(cause)) expect(left).toMatch(listed);
  });

  it('--write --unsafe-fixes: check passes but for the choices listed, simulate rates every workload ok, a second run changes nothing', async () => {
    const dir = copyOf('bad-app');
    const w = await run(['fix', '.', '--write', '--unsafe-fixes'], { cwd: dir });
    expect(w.code).toBe(0);
    expect(w.stdout.match(/^review: .*$/gm)).toEqual([
      expect.stringMatching(
        /^review: api\.yaml: Deployment api: hpa-replicas-conflict: remove spec\.replicas .*edit-last-applied deployment\/api -n shop/,
      ),
      expect.stringMatching(
        /^review: cache\.yaml: StatefulSet cache: single-replica: raise spec\.replicas from 1 to 2: raises StatefulSet cache, a Redis, to 2 replicas: each replica has its own data/,
      ),
      expect.stringMatching(
        /^review: cache\.yaml: Pod debug-shell: singleton-pod: run Pod debug-shell from a Deployment of 2 replicas: .*kubectl delete pod debug-shell -n shop/,
      ),
      expect.stringMatching(
        /^review: api\.yaml: PodDisruptionBudget api: pdb-unhealthy-policy-unset: set unhealthyPodEvictionPolicy to AlwaysAllow: a drain may then evict a pod that is not Ready yet/,
      ),
      expect.stringMatching(
        /^review: cache\.yaml: StatefulSet cache: no-zone-spread: remove the pin to topology\.kubernetes\.io\/zone=eu-west-1a: /,
      ),
    ]);
    const c = await run(['check', '.', '-o', 'json', '--fail-on', 'none'], { cwd: dir });
    const left = (JSON.parse(c.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(left.filter((id) => !noFix(id))).toEqual([]);
    // Of the choices listed, one decides a verdict: the cache's readinessProbe names a port its
    // container does not declare, so it is never Ready, and simulate says so until the user picks
    // the port (listed as not fixed: probe-port-mismatch).
    expect(left).toContain('probe-port-mismatch');
    expect((await verdicts(dir, []))['shop/StatefulSet/cache']).toBe('outage');
    const cache = readFileSync(join(dir, 'cache.yaml'), 'utf8');
    writeFileSync(join(dir, 'cache.yaml'), cache.replace('port: resp', 'port: redis'));
    for (const extra of [[], ['--worst-case']]) {
      const v = await verdicts(dir, extra);
      expect(v, extra.join(' ')).toEqual({
        'shop/Deployment/api': 'ok',
        'shop/StatefulSet/cache': 'ok',
        'shop/Deployment/debug-shell': 'ok',
        'shop/Deployment/frontend': 'ok',
      });
    }
    const after = snapshot(dir);
    const again = await run(['fix', '.', '--unsafe-fixes'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^no file to fix, \d+ findings left to decide\n$/m);
    expect(snapshot(dir)).toEqual(after);
    expect(readFileSync(join(dir, 'cache.yaml'), 'utf8')).toContain(
      '# A one-off debugging pod someone left behind.\napiVersion: apps/v1\nkind: Deployment\n',
    );
  });

  it('leaves a file that needs no fix, and one that does not parse, byte for byte', async () => {
    const dir = copyOf('good-app');
    const broken = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x\nspec:\n  replicas: 1\n';
    writeFileSync(join(dir, 'broken.yaml'), broken);
    const before = snapshot(dir);
    const r = await run(['fix', '.', '--write'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  it('reads stdin and writes the fixed YAML; --dry-run=json prints the patches', async () => {
    const pdb = readFileSync(join(ROOT, 'examples/seed/my-svc-pdb.yaml'), 'utf8');
    const r = await run(['fix', '-f', '-'], { stdin: pdb });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(pdb.replace('policy/v1beta1', 'policy/v1'));
    const deployment = await run(['fix', '-f', '-'], {
      stdin: readFileSync(join(ROOT, 'examples/seed/spread-host-az.yaml'), 'utf8'),
    });
    expect(deployment.stdout).toMatch(
      /^apiVersion: apps\/v1\n[\s\S]*\n---\n# Added by kubeha fix \(missing-pdb\)/,
    );
    expect(deployment.stderr).toMatch(
      /^not fixed: <stdin>:\d+: Deployment spread-host-az: missing-readiness-probe: /m,
    );
    const j = await run(['fix', 'examples/seed/my-svc-pdb.yaml', '--dry-run', 'json']);
    expect(j.code).toBe(1);
    const out = JSON.parse(j.stdout) as { rounds: { patches: { rule: string; ops: unknown[] }[] }[] };
    expect(out.rounds[0]!.patches).toEqual([
      expect.objectContaining({
        rule: 'deprecated-api',
        doc: 0,
        ops: [{ op: 'replace', path: '/apiVersion', value: 'policy/v1' }],
      }),
    ]);
  });

  it('--rule, --skip-rule and --pdb-file', async () => {
    const dir = copyOf('seed');
    const only = await run(['fix', '.', '--rule', 'deprecated-api', '--dry-run', 'json'], { cwd: dir });
    const rules = (JSON.parse(only.stdout) as { rounds: { patches: { rule: string }[] }[] }).rounds.flatMap(
      (r) => r.patches.map((p) => p.rule),
    );
    expect(rules).toEqual(['deprecated-api']);
    const w = await run(['fix', '.', '--write', '--skip-rule', 'deprecated-api', '--pdb-file', 'pdbs.yaml'], {
      cwd: dir,
    });
    expect(w.code).toBe(0);
    expect(readFileSync(join(dir, 'my-svc-pdb.yaml'), 'utf8')).toContain('policy/v1beta1');
    expect(readFileSync(join(dir, 'pdbs.yaml'), 'utf8')).toMatch(
      /^# Added by kubeha fix \(missing-pdb\)[^\n]*\napiVersion: policy\/v1\nkind: PodDisruptionBudget\n/,
    );
    expect(readFileSync(join(dir, 'spread-host-az.yaml'), 'utf8')).not.toContain('PodDisruptionBudget');
  });

  it('exits 2 on usage errors', async () => {
    expect((await run(['fix'])).code).toBe(2);
    expect((await run(['fix', 'examples/seed', '--rule', 'no-such-rule'])).code).toBe(2);
    expect((await run(['fix', '-f', '-', '--write'])).code).toBe(2);
    expect((await run(['fix', 'examples/seed', '--dry-run', 'yaml'])).code).toBe(2);
  });
});

describe('kubeha fix --verify', () => {
  it("shows the seed's Deployment going from outage to ok on zone loss (worst case, 4 zones), and degraded on 3", async () => {
    const four = await run([
      'fix',
      'examples/seed',
      '--verify',
      '--worst-case',
      '-s',
      'zone-loss',
      '--zones',
      '4',
    ]);
    expect(four.stdout).toMatch(/default\/Deployment\/spread-host-az +outage \(zone-loss:zone-a\) +ok\n/);
    // 4 replicas over 3 zones: the zone holding two leaves 2 ready, below the new PDB's floor of 3.
    const three = await run(['fix', 'examples/seed', '--verify', '--worst-case', '-s', 'zone-loss']);
    expect(three.stdout).toMatch(
      /spread-host-az +outage \(zone-loss:zone-a\) +degraded \(zone-loss:zone-a\)\n/,
    );
  });
});
