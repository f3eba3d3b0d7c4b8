// The Dockerfile, with no container builder on this machine: its instructions are run here the way
// a builder would, each stage in a folder of its own standing for the stage's file system. COPY
// takes from the build context (the repository less .dockerignore) or, with --from, from the
// earlier stage's folder; RUN runs in the stage's WORKDIR with sh; npm's global prefix is the stage's
// folder (a builder's would be the image's /usr/local). Then the image's ENTRYPOINT and CMD run.
// The base image itself (node:20-bookworm-slim) is stood in for by this machine's Node 20.
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, checkoutHead, mustRun, pathWith, runProgram, tempDir } from './support.js';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** The Dockerfile as stages of instructions (comments dropped, `\` continuations joined). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const line of logical) {
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') {
      const [from, , name] = args!.split(/\s+/);
      stages.push({ from: from!, name, instructions: [] });
    } else stages.at(-1)!.instructions.push({ op: op!.toUpperCase(), args: args! });
  }
  return stages;
}

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** .dockerignore's patterns as used here: a path or glob on the first segments. */
function isIgnored(path: string): boolean {
  return ignored.some((p) => {
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`);
    return re.test(path.replace(/\/$/, ''));
  });
}

function copySources(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const from = words[0]!.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
  return { from, sources: words.slice(0, -1), dest: words.at(-1)! };
}

describe('the Dockerfile', { timeout: 600_000 }, () => {
  let work: string;
  let context: string;
  const roots = new Map<string, string>();
  const prefix = () => join(roots.get('runtime')!, 'usr', 'local');

  beforeAll(() => {
    work = tempDir('docker');
    // The build context: the committed tree, as a builder run on a checkout gets it.
    context = join(work, 'context');
    mkdirSync(context);
    checkoutHead(context);
    for (const [index, stage] of stages.entries()) {
      const root = join(work, stage.name ?? 'runtime');
      roots.set(stage.name ?? 'runtime', root);
      mkdirSync(join(root, 'usr', 'local'), { recursive: true });
      let workdir = root;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        npm_config_prefix: join(root, 'usr', 'local'),
        npm_config_prefer_offline: 'true', // npm's cache stands in for the registry
      };
      const inStage = (p: string) => (p.startsWith('/') ? join(root, p) : join(workdir, p));
      for (const { op, args } of stage.instructions) {
        if (op === 'WORKDIR') {
          workdir = join(root, args);
          mkdirSync(workdir, { recursive: true });
        } else if (op === 'COPY') {
          const { from, sources, dest } = copySources(args);
          const base = from ? roots.get(from)! : context;
          for (const source of sources) {
            const target =
              dest.endsWith('/') && !source.endsWith('/') ? join(inStage(dest), source) : inStage(dest);
            cpSync(join(base, source), target, {
              recursive: true,
              filter: (src) => from !== undefined || !isIgnored(src.slice(context.length + 1)),
            });
          }
        } else if (op === 'RUN') {
          // Absolute paths in the command are the stage's own.
          const command = args.replace(/(^|\s)\/(?=[\w.-])/g, `$1${root}/`);
          const r = runProgram('sh', ['-ec', command], { cwd: workdir, env });
          if (r.code !== 0) throw new Error(`stage ${index} RUN ${args} exited ${r.code}\n${r.stderr}`);
        }
      }
    }
  }, 600_000);
  afterAll(() => {
    if (work) mustRun('rm', ['-rf', work]);
  }, 120_000);

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    for (const stage of stages)
      for (const { op, args } of stage.instructions) {
        if (op !== 'COPY') continue;
        const { from, sources } = copySources(args);
        if (from) continue;
        for (const s of sources) {
          expect(existsSync(join(ROOT, s)), s).toBe(true);
          expect(isIgnored(s), s).toBe(false);
        }
      }
    for (const p of ['node_modules', 'dist', '.git', 'tools/cluster/bin']) expect(isIgnored(p), p).toBe(true);
  });

  it('runs on Node 20, as a non-root user, the same uid as the chart and deploy/serve.yaml', () => {
    expect(stages.map((s) => s.from)).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    const user = stages.at(-1)!.instructions.find((i) => i.op === 'USER')!.args;
    expect(user).toBe('65532:65532');
    const template = readFileSync(
      join(ROOT, 'charts', 'kubeha-serve', 'templates', 'deployment.yaml'),
      'utf8',
    );
    expect(template).toContain('runAsUser: 65532');
    expect(readFileSync(join(ROOT, 'deploy', 'serve.yaml'), 'utf8')).toContain('runAsUser: 65532');
  });

  it('the image holds the installed package only, and its ENTRYPOINT and CMD run', () => {
    const runtime = roots.get('runtime')!;
    const installed = join(prefix(), 'lib', 'node_modules', 'kubeha');
    expect(statSync(join(installed, 'dist', 'cli', 'bin.js')).isFile()).toBe(true);
    expect(existsSync(join(installed, 'docs', 'rules', 'single-replica.md'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(runtime, 'tmp', 'kubeha.tgz'))).toBe(false); // removed after the install

    const exec = (i: Instruction) => JSON.parse(i.args) as string[];
    const last = stages.at(-1)!.instructions;
    const entrypoint = exec(last.find((i) => i.op === 'ENTRYPOINT')!);
    const cmd = exec(last.find((i) => i.op === 'CMD')!);
    const env = { ...process.env, PATH: pathWith(join(prefix(), 'bin')), NO_COLOR: '1' };
    const help = runProgram(entrypoint[0]!, [...entrypoint.slice(1), ...cmd], { env, cwd: work });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('serve');
    // What deploy/serve.yaml and the chart run: `args` replace CMD.
    const serveHelp = runProgram(entrypoint[0]!, [...entrypoint.slice(1), 'serve', '--help'], {
      env,
      cwd: work,
    });
    expect(serveHelp.code, serveHelp.stderr).toBe(0);
    expect(serveHelp.stdout).toContain('--tls-cert');
    const check = runProgram(
      entrypoint[0]!,
      [...entrypoint.slice(1), 'check', join(ROOT, 'examples', 'good-app')],
      { env, cwd: work },
    );
    expect(check.code, check.stderr).toBe(0);
  });
});
