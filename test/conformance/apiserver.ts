// The API server's verdict on each file, from the real kubectl: `kubectl apply --dry-run=server -f FILE`
// is kubectl's own YAML reading (sigs.k8s.io/yaml) plus the API server's decoding, strict field
// validation, defaulting, validation and admission, without storing anything. Files go to kubectl in
// batches (one process for many `-f`), a few batches at a time; every error kubectl prints names its
// file, and a batch whose output cannot be attributed file by file is re-run one file at a time.
import { execFile } from 'node:child_process';

export interface ServerVerdict {
  /**
   * accepted: applied (dry run); rejected: kubectl or the API server refused it; excluded: a kind the
   * cluster does not serve, or a generateName that `kubectl apply` itself refuses.
   */
  verdict: 'accepted' | 'rejected' | 'excluded';
  /** What kubectl printed about the file (empty when accepted). */
  message: string;
}

export interface KubectlOptions {
  kubectl: string;
  kubeconfig: string;
  /** Files per kubectl process. */
  batch?: number;
  /** kubectl processes at once. */
  parallel?: number;
  /**
   * Whether a "no matches for kind" answer means the object is out of scope (a custom resource whose
   * CRD is not installed) rather than refused (a built-in kind on a version the cluster no longer serves).
   */
  outOfScope: (file: string) => boolean;
  /**
   * Files to apply on their own, judged by kubectl's exit code: a List holds several objects, so a
   * batch's count of applied objects would not be a count of files.
   */
  alone?: (file: string) => boolean;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const NO_MATCH = /no matches for kind/;
const UNREACHABLE =
  /connection refused|Unable to connect to the server|i\/o timeout|TLS handshake timeout|the server is currently unable to handle the request|context deadline exceeded/;

/**
 * Gives each file what kubectl said about it: every message kubectl prints about a file names it, quoted
 * (`error when creating "F"`, `from "F"`, `unable to decode "F"`, `error validating "F"`) or after
 * `error parsing F:`. The message is the text from the start of its line to the next line that names a
 * file or starts a new error.
 */
function attribute(files: readonly string[], stderr: string): Map<string, string[]> {
  // Admission warnings (`Warning: …` lines) are not verdicts.
  const lines = stderr.split('\n').filter((l) => !l.startsWith('Warning: '));
  const byFile = new Map<string, string[]>(files.map((f) => [f, []]));
  const names = (line: string): string[] =>
    files.filter((f) => line.includes(`"${f}"`) || line.includes(`error parsing ${f}:`));
  for (let i = 0; i < lines.length; i++) {
    const named = names(lines[i]!);
    if (named.length === 0) continue;
    let message = lines[i]!;
    // A continuation line ("ensure CRDs are installed first") belongs to the message before it.
    while (i + 1 < lines.length && names(lines[i + 1]!).length === 0 && !/^(error|Error)/.test(lines[i + 1]!))
      message += `\n${lines[++i]!}`;
    for (const f of named) byFile.get(f)!.push(message);
  }
  return byFile;
}

async function applyBatch(files: readonly string[], o: KubectlOptions): Promise<Map<string, ServerVerdict>> {
  const args = ['--kubeconfig', o.kubeconfig, 'apply', '--dry-run=server'];
  for (const f of files) args.push('-f', f);
  const r = await run(o.kubectl, args);
  // No verdict at all: the cluster could not be reached or answered with an outage.
  if (UNREACHABLE.test(r.stderr)) throw new Error(`kubectl could not ask the API server: ${r.stderr.trim()}`);
  // One file: kubectl's exit code is the verdict (its message may not name the file).
  if (files.length === 1) {
    const message = r.stderr
      .split('\n')
      .filter((l) => l && !l.startsWith('Warning: '))
      .join('\n');
    return new Map([[files[0]!, verdictOf(files[0]!, r.code === 0 ? [] : [message], o)]]);
  }
  const byFile = attribute(files, r.stderr);
  const applied = (r.stdout.match(/\(server dry run\)/g) ?? []).length;
  const refused = [...byFile.values()].filter((m) => m.length > 0).length;
  // Every file (one object each) is either printed as applied or named by an error: anything else is
  // re-run one file at a time.
  if (applied + refused !== files.length) {
    const out = new Map<string, ServerVerdict>();
    for (const f of files) for (const [k, v] of await applyBatch([f], o)) out.set(k, v);
    return out;
  }
  return new Map(files.map((f) => [f, verdictOf(f, byFile.get(f)!, o)]));
}

/**
 * kubectl's own refusal, before any request: `apply` needs a name to find the live object, so it
 * refuses metadata.generateName (`kubectl create` sends it, and the API server accepts it). Not a
 * verdict of the API server: such files are excluded.
 */
const APPLY_NEEDS_NAME = /cannot use generate name with apply/;

function verdictOf(file: string, messages: string[], o: KubectlOptions): ServerVerdict {
  if (messages.length === 0) return { verdict: 'accepted', message: '' };
  const message = messages.join('\n');
  if (messages.every((m) => APPLY_NEEDS_NAME.test(m))) return { verdict: 'excluded', message };
  if (messages.every((m) => NO_MATCH.test(m)) && o.outOfScope(file)) return { verdict: 'excluded', message };
  return { verdict: 'rejected', message };
}

/** The API server's verdict on every file, batched and run a few kubectl processes at a time. */
export async function serverVerdicts(
  files: readonly string[],
  o: KubectlOptions,
): Promise<Map<string, ServerVerdict>> {
  const size = o.batch ?? 40;
  const batches: string[][] = [];
  const alone = files.filter((f) => o.alone?.(f));
  const batched = files.filter((f) => !o.alone?.(f));
  for (let i = 0; i < batched.length; i += size) batches.push(batched.slice(i, i + size));
  for (const f of alone) batches.push([f]);
  const out = new Map<string, ServerVerdict>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      for (const [k, v] of await applyBatch(batch, o)) out.set(k, v);
    }
  };
  await Promise.all(Array.from({ length: o.parallel ?? 2 }, worker));
  return out;
}
