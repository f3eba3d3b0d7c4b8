// docs/conformance.md: the counts of one run of the conformance suite (`npm run conformance`).
import type { ServerVerdict } from './apiserver.js';
import type { CorpusItem } from './corpus.js';
import type { KubehaVerdict } from './verdict.js';

export interface Outcome {
  item: CorpusItem;
  server: ServerVerdict;
  kubeha: KubehaVerdict;
}

export const agrees = (o: Outcome): boolean =>
  o.server.verdict === 'excluded' || o.server.verdict === o.kubeha.verdict;

export interface RunFacts {
  kubernetes: string;
  kubectlSeconds: number;
  kubehaSeconds: number;
  batch: number;
  parallel: number;
}

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

function row(name: string, os: readonly Outcome[]): string {
  const judged = os.filter((o) => o.server.verdict !== 'excluded');
  const count = (v: string): number => os.filter((o) => o.server.verdict === v).length;
  const agree = judged.filter(agrees).length;
  return `| ${name} | ${os.length} | ${count('accepted')} | ${count('rejected')} | ${count('excluded')} | ${agree} | ${judged.length - agree} | ${pct(agree, judged.length)} |`;
}

/** One line for a disagreement: the object, what the API server said, what kubeha said. */
export function describeDisagreement(o: Outcome): string {
  const server =
    o.server.verdict === 'accepted'
      ? 'accepted'
      : `rejected: ${o.server.message.split('\n')[0]!.slice(0, 300)}`;
  const kubeha =
    o.kubeha.verdict === 'accepted'
      ? 'accepted (no finding says it is rejected)'
      : `rejected: ${o.kubeha.reasons[0]!.slice(0, 300)}`;
  return `${o.item.id} (${o.item.origin})\n  API server: ${server}\n  kubeha:     ${kubeha}`;
}

export function conformanceReport(outcomes: readonly Outcome[], facts: RunFacts): string {
  const groups = [...new Set(outcomes.map((o) => o.item.group))];
  const judged = outcomes.filter((o) => o.server.verdict !== 'excluded');
  const disagreements = judged.filter((o) => !agrees(o));
  const lines = [
    '# Conformance: kubeha\'s "the API server rejects this" against the real API server',
    '',
    '<!-- Written by `npm run conformance` (test/e2e/conformance.test.ts); do not edit by hand. -->',
    '',
    `Every object below is one YAML file, applied with the real kubectl to the real API server of`,
    `tools/cluster (Kubernetes ${facts.kubernetes}) as \`kubectl apply --dry-run=server -f FILE\`: kubectl's own`,
    `YAML reading, then the API server's decoding, strict field validation, validation and admission.`,
    `kubeha's verdict on the same file is \`kubeha check FILE --kube-version 1.36\` (the library, in`,
    `process; every tenth file also through the command line, which must conclude the same). The suite`,
    `fails on any object where the two differ. Objects of kinds the cluster does not`,
    `serve (custom resources whose CRD is not installed: VPA, Istio, Argo Rollouts, …) are excluded and`,
    `counted as such, as are objects with metadata.generateName and no name, which \`kubectl apply\` itself`,
    `refuses before asking the API server (\`kubectl create\` sends them, and the API server accepts them).`,
    '',
    'Run it: `npm run cluster:build && npm run cluster:up`, then `npm run conformance` (this page) or',
    '`npm run test:e2e` (with the other end-to-end tests; the suite then fails on any disagreement and prints',
    'each one with both verdicts). `KUBEHA_E2E_KUBECONFIG` points it at another cluster.',
    '',
    '## What counts as "kubeha says the API server rejects this"',
    '',
    'Defined once, in `test/conformance/verdict.ts` (`saysRejected`): a finding of',
    '',
    '- `yaml-syntax`: the file cannot be read as YAML;',
    '- `invalid-object`, any message: no apiVersion or kind, a field of the wrong type, an unknown or',
    "  misplaced field, an integer out of range, or a rule of Kubernetes' validation code broken;",
    '- `deprecated-api` at severity `error`: an apiVersion the target version no longer serves, or',
    '  serves only when enabled (alpha versions, and betas introduced since 1.24), or an apiVersion and',
    '  kind of a Kubernetes group that no release served;',
    "- `hpa-invalid-range` at severity `error`: an HPA's maxReplicas missing, below 1 or below",
    '  minReplicas (invalid-object leaves these to it, so the fault is reported once, with what it costs).',
    '',
    "The same test checks kubeha's table of removed versions against the API server's discovery: at",
    '1.36 kubeha says "not served" for exactly the versions and kinds the API server does not serve.',
    '',
    'Nothing else: `duplicate-key` says the earlier value is lost (kubectl keeps the last one, as',
    'kubeha reads it), a deprecated but served version is a warning, and the HA rules judge objects the',
    'API server accepts.',
    '',
    '## Counts',
    '',
    `${outcomes.length} objects: ${outcomes.filter((o) => o.server.verdict === 'accepted').length} accepted and ${outcomes.filter((o) => o.server.verdict === 'rejected').length} rejected by the API server, ${outcomes.length - judged.length} excluded; kubeha agrees on **${judged.length - disagreements.length} of ${judged.length} (${pct(judged.length - disagreements.length, judged.length)})**.`,
    '',
    '| source or mutation class | objects | accepted | rejected | excluded | agree | disagree | agreement |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...groups.map((g) =>
      row(
        `\`${g}\``,
        outcomes.filter((o) => o.item.group === g),
      ),
    ),
    row('**all**', outcomes),
    '',
    'The seeds are every manifest the repository ships or tests with (examples/, the Bad and Good',
    'examples of docs/rules/, the objects of test/fidelity/cases/, test/e2e/topology.yaml, and every',
    '`yaml` template of the unit tests that has no interpolation). The',
    'mutations start from one valid object of each of 16 built-in kinds (`test/conformance/bases.ts`,',
    'class `base`) and change one thing each, seeded (`test/conformance/mutate.ts`): every field given a',
    'value of another type; an unknown field at the top level, misspelt, in every nested mapping, or a',
    'real field misplaced one level up; a YAML 1.1 scalar (`yes`, `on`, `0777`, `0x1F`, `1_000`, `12:30`,',
    '`~`, …) written plainly in every string and every integer field; every integer field out of range',
    '(2^31, -1, 1e308, 1.5, .inf and .nan each, and one of 2^63, 2^32, 65536, 0, …); every removed or',
    'off-by-default version of the kind and two that never existed; and cross-field rules (selector',
    'against template, minAvailable with maxUnavailable, maxSurge and maxUnavailable both 0, label',
    'values and keys, names, ports, probes, quantities, schedules, …).',
    '',
    `Run time: kubectl ${facts.kubectlSeconds.toFixed(1)} s (${facts.batch} files per kubectl process, ${facts.parallel} processes at once), kubeha ${facts.kubehaSeconds.toFixed(1)} s.`,
    '',
    '## Disagreements',
    '',
  ];
  if (disagreements.length === 0) lines.push('None.');
  else {
    lines.push(`${disagreements.length}:`, '', '```');
    for (const o of disagreements) lines.push(describeDisagreement(o));
    lines.push('```');
  }
  return `${lines.join('\n')}\n`;
}
