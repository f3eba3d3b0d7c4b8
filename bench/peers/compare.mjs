#!/usr/bin/env node
// Runs kubeha and its peers on every folder of examples/ and writes docs/peers.md: per object, what
// each tool reports about high availability, mapped onto kubeha's rule ids, and why they differ.
//
//   npm run build && bench/peers/install.sh && node bench/peers/compare.mjs [--out docs/peers.md] [--examples examples]
//
// Regenerate it whenever rules or examples change. Peer check ids are mapped to kubeha rule ids by the
// tables below (PEERS[tool].map); a peer check that is not in them is counted as "not about HA".
// Differences are explained from facts the script can see (the tool failed on the folder, did not
// list the object, has no such check, or has it disabled by default) and, where the tools do look at
// the same thing and still disagree, from the hand-written notes in WHY below: a difference without a
// note is printed as such, so a new rule or example shows up as a gap to explain.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../check/generate.mjs';

const PEERS_DIR = join(REPO_ROOT, 'bench', '.peers');
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'CustomResourceDefinition',
  'APIService',
]);

/**
 * How each peer runs on one folder, how its output becomes findings, and how its check ids map onto
 * kubeha's rules. `map` values: a kubeha rule id; or `{ rules, pick }` for a check that covers several
 * concerns, where pick(message) says which one a finding is about (null: that part is not about HA). `noRule`: the peer's reliability checks that
 * kubeha has no rule for. `off`: HA checks the peer ships disabled by default.
 */
const PEERS = {
  'kube-score': {
    bin: join(PEERS_DIR, 'bin', 'kube-score'),
    invocation: 'kube-score score -o json <files>',
    run: (bin, dir, files) =>
      spawnSync(bin, ['score', '-o', 'json', ...files], { encoding: 'utf8', maxBuffer: 1 << 28 }),
    parse: (stdout) => {
      const objects = [];
      const findings = [];
      for (const o of JSON.parse(stdout)) {
        const ref = {
          kind: o.type_meta.kind,
          namespace: o.object_meta.namespace || '',
          name: o.object_meta.name,
        };
        objects.push(ref);
        for (const c of o.checks) {
          if (c.skipped || c.grade >= 10) continue;
          for (const comment of c.comments?.length ? c.comments : [{ summary: c.check.name, path: '' }]) {
            const text = `${comment.path ? `${comment.path}: ` : ''}${comment.summary}`;
            findings.push({
              ...ref,
              check: c.check.id,
              message: text,
              severity: c.grade <= 1 ? 'critical' : 'warning',
            });
          }
        }
      }
      return { objects, findings };
    },
    map: {
      'deployment-replicas': 'single-replica',
      'deployment-has-poddisruptionbudget': 'missing-pdb',
      'statefulset-has-poddisruptionbudget': 'missing-pdb',
      'deployment-has-host-podantiaffinity': 'no-node-spread',
      'statefulset-has-host-podantiaffinity': 'no-node-spread',
      'pod-topology-spread-constraints': 'spread-selector-mismatch',
      'pod-probes': {
        rules: ['missing-readiness-probe', 'missing-liveness-probe'],
        pick: (m) => (/liveness/i.test(m) ? 'missing-liveness-probe' : 'missing-readiness-probe'),
      },
      'pod-probes-identical': 'identical-probes',
      // kube-score asks for requests and limits; kubeha only for requests (what scheduling and HPAs need).
      'container-resources': {
        rules: ['missing-resource-requests'],
        pick: (m) => (/request/i.test(m) ? 'missing-resource-requests' : null),
      },
      'deployment-strategy': 'recreate-strategy',
      'deployment-targeted-by-hpa-does-not-have-replicas-configured': 'hpa-replicas-conflict',
      'horizontalpodautoscaler-has-target': 'hpa-target-missing',
      'horizontalpodautoscaler-replicas': 'hpa-min-replicas',
      'stable-version': 'deprecated-api',
      'poddisruptionbudget-has-policy': 'pdb-blocks-eviction',
      'statefulset-has-servicename': 'statefulset-service-missing',
      'service-targets-pod': 'service-selects-nothing',
    },
    noRule: {
      'deployment-pod-selector-labels-match-template-metadata-labels':
        'a selector that does not match its own template (the API server rejects it)',
    },
    off: {},
  },
  polaris: {
    bin: join(PEERS_DIR, 'bin', 'polaris'),
    invocation: 'polaris audit --audit-path <dir> --format json',
    run: (bin, dir) =>
      spawnSync(bin, ['audit', '--audit-path', dir, '--format', 'json'], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      }),
    parse: (stdout) => {
      const objects = [];
      const findings = [];
      for (const r of JSON.parse(stdout).Results ?? []) {
        if (!r.Kind) continue;
        const ref = { kind: r.Kind, namespace: r.Namespace || '', name: r.Name };
        objects.push(ref);
        const add = (results, where) => {
          for (const [id, v] of Object.entries(results ?? {})) {
            if (!v.Success)
              findings.push({ ...ref, check: id, message: `${where}${v.Message}`, severity: v.Severity });
          }
        };
        add(r.Results, '');
        add(r.PodResult?.Results, '');
        for (const c of r.PodResult?.ContainerResults ?? []) add(c.Results, `${c.Name}: `);
      }
      return { objects, findings };
    },
    map: {
      deploymentMissingReplicas: 'single-replica',
      livenessProbeMissing: 'missing-liveness-probe',
      readinessProbeMissing: 'missing-readiness-probe',
      pdbDisruptionsIsZero: 'pdb-blocks-eviction',
      missingPodDisruptionBudget: 'missing-pdb',
      cpuRequestsMissing: 'missing-resource-requests',
      memoryRequestsMissing: 'missing-resource-requests',
      priorityClassNotSet: 'missing-priority-class',
    },
    noRule: {
      metadataAndNameMismatched: 'app.kubernetes.io/name label not equal to the name (off by default)',
    },
    off: {
      missingPodDisruptionBudget: 'ignore',
      priorityClassNotSet: 'ignore',
      metadataAndNameMismatched: 'ignore',
    },
  },
  checkov: {
    bin: join(PEERS_DIR, 'checkov', 'bin', 'checkov'),
    invocation: 'checkov -d <dir> --framework kubernetes -o json --skip-download',
    // Not --quiet: the passed checks list the objects checkov read.
    run: (bin, dir) =>
      spawnSync(bin, ['-d', dir, '--framework', 'kubernetes', '-o', 'json', '--skip-download'], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        env: { ...process.env, PYTHONWARNINGS: 'ignore' },
      }),
    parse: (stdout) => {
      const objects = [];
      const findings = [];
      const reports = [JSON.parse(stdout)].flat();
      const refOf = (resource) => {
        const [kind, namespace, ...rest] = resource.split('.');
        return { kind, namespace, name: rest.join('.') };
      };
      for (const rep of reports) {
        for (const c of [...(rep.results?.passed_checks ?? []), ...(rep.results?.failed_checks ?? [])]) {
          objects.push(refOf(c.resource));
        }
        for (const c of rep.results?.failed_checks ?? []) {
          findings.push({
            ...refOf(c.resource),
            check: c.check_id,
            message: c.check_name,
            severity: c.severity ?? 'failed',
          });
        }
      }
      return { objects, findings };
    },
    map: {
      CKV_K8S_8: 'missing-liveness-probe',
      CKV_K8S_9: 'missing-readiness-probe',
      CKV_K8S_10: 'missing-resource-requests',
      CKV_K8S_12: 'missing-resource-requests',
    },
    noRule: {},
    off: {},
  },
};

/**
 * Why a peer and kubeha disagree where both look at the same thing. Keys: `tool:rule` for a reason that
 * holds for every object, `tool:rule:example/Kind/name` for one object (checked first). Each says what
 * the peer does, factually; kubeha's side is in its rule docs (docs/rules/<id>.md).
 */
const WHY = {
  'kube-score:deprecated-api':
    'kube-score’s stable-version knows that policy/v1beta1 PDBs are deprecated, but reports it only with `--kubernetes-version v1.21` or later, and its default target is v1.18. kubeha checks against the newest Kubernetes it supports unless `--kube-version` says otherwise.',
  'kube-score:no-node-spread':
    'kube-score accepts only pod anti-affinity (preferred or required, on the hostname, zone or region key) and ignores topologySpreadConstraints; good-app and simulate/web spread with topology spread constraints on the zone and hostname keys, which kubeha accepts.',
  'kube-score:no-node-spread:bad-app/Deployment/frontend':
    'frontend leaves spec.replicas unset, so it runs one pod: kube-score skips only an explicit `replicas` below 2 and still asks for anti-affinity; kubeha reports single-replica instead, as one pod has nothing to spread from.',
  'kube-score:missing-pdb:bad-app/Deployment/frontend':
    'frontend leaves spec.replicas unset (one pod): kube-score skips only an explicit `replicas` below 2; kubeha’s missing-pdb is for workloads of two or more replicas (a PDB over one pod either blocks every drain or lets the outage happen anyway) and reports single-replica instead.',
  'kube-score:missing-readiness-probe':
    'kube-score’s pod-probes skips pods that no Service in the input selects (bad-app’s cache has no Service; debug-shell is a bare Pod). kubeha warns on every long-running container, and makes it an error when a Service selects the pods.',
  'kube-score:missing-liveness-probe':
    'kube-score’s pod-probes skips pods that no Service in the input selects, and stops at its first problem, so a missing readiness probe hides a missing liveness probe (bad-app’s frontend).',
  'kube-score:single-replica':
    'kube-score’s deployment-replicas looks only at Deployments that a Service in the input selects and no HPA targets; it has no replica check for StatefulSets.',
  'polaris:single-replica':
    'Polaris’ deploymentMissingReplicas wants `spec.replicas` ≥ 2 written in every Deployment, also when an HPA owns the replica count (good-app leaves it out on purpose: writing it is what kubeha’s hpa-replicas-conflict and kube-score’s deployment-targeted-by-hpa-does-not-have-replicas-configured report); it does not look at StatefulSets.',
  'polaris:missing-pdb':
    'Polaris’ missingPodDisruptionBudget is `ignore` in its default configuration; when enabled, it matches the PDB’s selector against the Deployment’s own metadata.labels rather than its pod template labels.',
  'polaris:pdb-blocks-eviction':
    'Polaris’ pdbDisruptionsIsZero compares the written value with `100%`, `0` and `0%` only; it does not compare minAvailable with the replica count.',
};

/** Why a tool did not list an object, where the output alone cannot tell. Keys: `tool:example/Kind/name`. */
const NOT_READ = {
  'kube-score:seed/Deployment/spread-host-az':
    'kube-score picks a Go type for each document by its apiVersion and kind; with `piVersion` instead of `apiVersion` none matches, and the document is dropped without a word (it logs “Unknown datatype” only with `-v -v`).',
  'checkov:seed/Deployment/spread-host-az':
    'checkov’s Kubernetes runner skips any file whose text does not contain both `apiVersion` and `kind` (and any document that lacks either key); spread-host-az.yaml says `piVersion`, so the whole file is skipped without a word.',
};

/** Why a tool failed on a whole folder. Keys: `tool:example`. */
const FAILED = {
  'polaris:seed':
    'Polaris parses each file strictly (yaml.v3): the duplicate `podAntiAffinity` key in spread-host-az.yaml makes it stop with exit 1 and report nothing, for that file and every other file in the folder.',
};

function args(argv) {
  const o = { out: join(REPO_ROOT, 'docs', 'peers.md'), examples: join(REPO_ROOT, 'examples') };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--out') o.out = resolve(argv[i + 1]);
    else if (argv[i] === '--examples') o.examples = resolve(argv[i + 1]);
    else {
      console.error('usage: node bench/peers/compare.mjs [--out docs/peers.md] [--examples examples]');
      process.exit(2);
    }
  }
  return o;
}

const manifestFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/i.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();

/** Every document of the example as the author wrote it (kind and name, even when apiVersion is misspelt). */
function inventory(files) {
  const out = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'), { uniqueKeys: false })) {
      let v;
      try {
        v = doc.toJS();
      } catch {
        continue;
      }
      if (!v || typeof v !== 'object' || typeof v.kind !== 'string') continue;
      // A List (what `kubectl get -o yaml` prints) stands for its items, as kubeha reads it.
      if (v.kind.endsWith('List') && Array.isArray(v.items)) {
        for (const item of v.items) {
          if (item && typeof item.kind === 'string') {
            out.push({
              kind: item.kind,
              name: item.metadata?.name ?? '<unnamed>',
              namespace: item.metadata?.namespace ?? '',
              file: relative(REPO_ROOT, file),
            });
          }
        }
        continue;
      }
      out.push({
        kind: v.kind,
        name: v.metadata?.name ?? '<unnamed>',
        namespace: v.metadata?.namespace ?? '',
        file: relative(REPO_ROOT, file),
      });
    }
  }
  return out;
}

const nsOf = (kind, ns) => (CLUSTER_SCOPED.has(kind) ? '' : ns || 'default');
const keyOf = (o) => `${o.kind}/${nsOf(o.kind, o.namespace)}/${o.name}`;

function runKubeha(dir) {
  const r = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'dist', 'cli', 'bin.js'), 'check', dir, '-o', 'json', '--fail-on', 'none'],
    {
      encoding: 'utf8',
      cwd: REPO_ROOT,
    },
  );
  if (r.status !== 0) throw new Error(`kubeha failed on ${dir}: ${r.stderr}`);
  const json = JSON.parse(r.stdout);
  return json.findings
    .filter((f) => f.object)
    .map((f) => ({ ...f.object, check: f.rule, rule: f.rule, message: f.message, severity: f.severity }));
}

function runPeer(name, dir, files) {
  const p = PEERS[name];
  const r = p.run(p.bin, dir, files);
  let parsed;
  try {
    parsed = p.parse(r.stdout);
  } catch {
    const err = (r.stderr || r.stdout || '').split('\n').find((l) => l.trim()) ?? '';
    return { error: `exit ${r.status}: ${err.replace(/^time="[^"]*" level=\w+ msg=/, '').slice(0, 200)}` };
  }
  const findings = [];
  let other = 0;
  for (const f of parsed.findings) {
    const m = p.map[f.check];
    const rule = typeof m === 'object' ? m.pick(f.message) : m;
    if (rule) findings.push({ ...f, rule });
    else if (p.noRule[f.check]) findings.push({ ...f, rule: `(${f.check})` });
    else other++;
  }
  return { objects: new Set(parsed.objects.map(keyOf)), findings, other };
}

function version(name) {
  try {
    return JSON.parse(readFileSync(join(PEERS_DIR, 'versions.json'), 'utf8'))[name] ?? '?';
  } catch {
    return '?';
  }
}

const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function main() {
  const o = args(process.argv.slice(2));
  const tools = Object.keys(PEERS).filter((t) => existsSync(PEERS[t].bin));
  const missing = Object.keys(PEERS).filter((t) => !tools.includes(t));
  const examples = readdirSync(o.examples, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const kubehaVersion = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  }).stdout.trim();

  const md = [];
  const gaps = [];
  const notes = [];
  const note = (text) => {
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return `[${i + 1}](#why-${i + 1})`;
  };
  md.push('# kubeha and its peers on the bundled examples');
  md.push('');
  md.push(
    `Generated by \`node bench/peers/compare.mjs\` (after \`npm run build\` and \`bench/peers/install.sh\`): do not edit by hand, rerun it when rules or examples change. kubeha ${kubehaVersion} at ${commit}; ${tools.map((t) => `${t} ${version(t)}`).join(', ')}.${missing.length ? ` Not installed when generated: ${missing.join(', ')}.` : ''} kube-linter could not be installed (its module path is not served by the Go module proxy here); hardeneks reads only live clusters and is compared in the \`scan\` work.`,
  );
  md.push('');
  md.push(
    'Each tool runs with its defaults on one example folder at a time (each is a self-contained application):',
  );
  md.push('');
  md.push('- kubeha: `kubeha check <dir> -o json`');
  for (const t of tools) md.push(`- ${t}: \`${PEERS[t].invocation}\``);
  md.push('');
  md.push(
    'Only findings about availability are compared: each peer check is mapped onto the kubeha rule that covers the same failure (table below). Peer checks about security, image hygiene, limits and network policies are counted but not listed. A ✓ means the tool reports the problem (with its check id); — that the object is in its output without that problem; “not listed” that the object is not in its output at all (tools list only the kinds they have checks for); “failed” that the tool reported nothing for the folder. In the last column, “no such check” means the peer has no check for that concern (see the mapping); numbers point to the notes under “Why they differ”.',
  );
  md.push('');
  md.push('## Check mapping');
  md.push('');
  md.push('| kubeha rule | ' + tools.join(' | ') + ' |');
  md.push('|---|' + tools.map(() => '---|').join(''));
  const rulesOf = (m) => (typeof m === 'object' ? m.rules : [m]);
  const rules = new Set(tools.flatMap((t) => Object.values(PEERS[t].map).flatMap(rulesOf)));
  const checksFor = (t, rule) =>
    Object.entries(PEERS[t].map)
      .filter(([, m]) => rulesOf(m).includes(rule))
      .map(([id]) => `\`${id}\`${PEERS[t].off[id] ? ' (off by default)' : ''}`);
  for (const rule of [...rules].sort()) {
    md.push(`| \`${rule}\` | ${tools.map((t) => checksFor(t, rule).join(', ') || '—').join(' | ')} |`);
  }
  md.push('');
  md.push('Peer reliability checks with no kubeha rule:');
  md.push('');
  for (const t of tools) {
    for (const [id, what] of Object.entries(PEERS[t].noRule)) md.push(`- ${t} \`${id}\`: ${what}.`);
  }
  md.push('');
  md.push(
    'Every other kubeha rule (e.g. `duplicate-key`, `invalid-object`, `pdb-matches-nothing`, `no-zone-spread`, `hpa-missing`, `rollout-all-unavailable`, `probe-port-mismatch`, the VPA and mesh rules) has no counterpart in any of these peers.',
  );

  const totals = Object.fromEntries(['kubeha', ...tools].map((t) => [t, { ha: 0, other: 0 }]));
  for (const ex of examples) {
    const dir = join(o.examples, ex);
    const files = manifestFiles(dir);
    const objects = inventory(files);
    const results = { kubeha: { objects: new Set(objects.map(keyOf)), findings: runKubeha(dir), other: 0 } };
    for (const t of tools) results[t] = runPeer(t, dir, files);
    md.push('');
    md.push(`## ${ex}`);
    md.push('');
    md.push(`Files: ${files.map((f) => `\`${relative(REPO_ROOT, f)}\``).join(', ')}.`);
    for (const t of tools) {
      if (results[t].error) {
        const why = FAILED[`${t}:${ex}`];
        md.push('');
        md.push(`**${t} failed on this folder** (${esc(results[t].error)}).${why ? ` ${why}` : ''}`);
        if (!why) gaps.push(`${t} failed on ${ex}`);
      }
    }
    md.push('');
    md.push(`| object | concern (kubeha rule) | kubeha | ${tools.join(' | ')} | why they differ |`);
    md.push(`|---|---|---|${tools.map(() => '---|').join('')}---|`);
    for (const obj of objects) {
      const k = keyOf(obj);
      const label = `${obj.kind}/${obj.name}`;
      const byTool = {};
      const concerns = new Set();
      for (const t of ['kubeha', ...tools]) {
        const r = results[t];
        byTool[t] = (r.findings ?? []).filter((f) => keyOf(f) === k);
        for (const f of byTool[t]) concerns.add(f.rule);
      }
      if (concerns.size === 0) {
        md.push(
          `| ${label} | (none) | — | ${tools.map((t) => cell(results[t], k, [])).join(' | ')} | no tool reports an availability problem |`,
        );
        continue;
      }
      for (const rule of [...concerns].sort()) {
        const cells = {};
        for (const t of ['kubeha', ...tools])
          cells[t] = cell(
            results[t],
            k,
            byTool[t].filter((f) => f.rule === rule),
            t === 'kubeha',
          );
        if (rule.startsWith('(')) cells.kubeha = 'no rule';
        const reasons = [];
        const hit = (t) => byTool[t].some((f) => f.rule === rule);
        for (const t of tools) {
          if (hit(t) === hit('kubeha')) continue;
          const r = results[t];
          const here = `${ex}/${obj.kind}/${obj.name}`;
          let why;
          if (r.error) why = 'failed on the folder';
          else if (rule.startsWith('(')) why = 'kubeha has no such rule';
          else if (checksFor(t, rule).length === 0) why = 'no such check';
          else if (!r.objects.has(k)) {
            why = NOT_READ[`${t}:${here}`] ? note(NOT_READ[`${t}:${here}`]) : 'object not in its output';
            if (!NOT_READ[`${t}:${here}`]) gaps.push(`${t} did not list ${here}`);
          } else {
            const off = Object.entries(PEERS[t].map).find(([id, m]) => m === rule && PEERS[t].off[id]);
            const text = WHY[`${t}:${rule}:${here}`] ?? WHY[`${t}:${rule}`];
            why = text ? note(text) : off ? `\`${off[0]}\` is off by default` : '(not explained yet)';
            if (!text && !off) gaps.push(`${t} vs kubeha on ${here} ${rule}`);
          }
          reasons.push(`${t}: ${why}`);
        }
        const ruleCell = rule.startsWith('(') ? `no kubeha rule: ${rule.slice(1, -1)}` : `\`${rule}\``;
        md.push(
          `| ${label} | ${ruleCell} | ${cells.kubeha} | ${tools.map((t) => cells[t]).join(' | ')} | ${esc(reasons.join('; ') || 'all agree')} |`,
        );
      }
    }
    for (const t of ['kubeha', ...tools]) {
      totals[t].ha += (results[t].findings ?? []).length;
      totals[t].other += results[t].other ?? 0;
    }
    const others = tools.filter((t) => results[t].other).map((t) => `${t} ${results[t].other}`);
    if (others.length) {
      md.push('');
      md.push(
        `Not about availability, so not listed: ${others.join(', ')} findings (security contexts, limits, image tags and pull policy, network policies).`,
      );
    }
  }
  md.push('');
  md.push('## Why they differ');
  md.push('');
  md.push(
    'Differences that the check mapping alone does not explain. Each note says what the peer does, read from its source at the version above; kubeha’s side is in docs/rules/<rule>.md.',
  );
  md.push('');
  notes.forEach((n, i) => md.push(`${i + 1}. <a id="why-${i + 1}"></a>${n}`));
  md.push('');
  md.push('## Totals');
  md.push('');
  md.push('| tool | availability findings | other findings |');
  md.push('|---|--:|--:|');
  for (const [t, n] of Object.entries(totals)) md.push(`| ${t} | ${n.ha} | ${n.other} |`);
  md.push('');
  md.push(
    'Counts are per finding as each tool words it (kube-score and Polaris report per container, kubeha per container and rule), so they show scope, not quality.',
  );
  writeFileSync(o.out, md.join('\n') + '\n');
  console.log(`wrote ${relative(REPO_ROOT, o.out)}`);
  if (gaps.length)
    console.log(
      `differences without an explanation (add them to WHY / NOT_READ / FAILED):\n  ${gaps.join('\n  ')}`,
    );
}

/** One table cell: ✓ with the tool's check ids, — (listed, nothing reported), not listed, or failed. */
function cell(result, key, findings, isKubeha = false) {
  if (result.error) return 'failed';
  if (findings.length) {
    const ids = [...new Set(findings.map((f) => f.check))];
    return isKubeha ? '✓' : `✓ ${ids.map((id) => `\`${id}\``).join(', ')}`;
  }
  return result.objects.has(key) ? '—' : 'not listed';
}

main();
