// The layers of kubeha and what each may import: docs/architecture.md draws them.
// test/architecture.test.ts runs dependency-cruiser with this file in `npm test` and fails on any
// violation that is not in its allowlist of known ones (and on any allowlisted one that is gone).
// To run it by hand: npx depcruise src --output-type err

/** A layer is a set of files under src/. Order: a layer may import only the layers in `may`. */
const LAYERS = [
  // The Kubernetes object model: types, kinds, selectors, quantities, the OpenAPI schemas.
  { name: 'model', path: '^src/model/', may: [] },
  // The scheduler and failure simulator: topology + objects -> verdicts.
  { name: 'simulate', path: '^src/simulate/', may: ['model'] },
  // The rules: objects (+ the simulator, for the sim-* rules) -> findings.
  { name: 'rules', path: '^src/rules/', may: ['model', 'simulate'] },
  // Text -> objects with source positions (YAML parsing, kubectl's YAML dialect): pure.
  {
    name: 'parse',
    path: '^src/sources/(parse|kubectl-yaml|fast-reader|fast-positions)\\.ts$',
    may: ['model'],
  },
  // Runs the rules over the objects with the user's settings: objects -> CheckResult.
  { name: 'engine', path: '^src/engine/', may: ['model', 'rules', 'parse'] },
  // Plans and applies the fixes of the findings, keeping the user's bytes.
  { name: 'fix', path: '^src/fix/', may: ['model', 'rules', 'engine', 'parse'] },
  // Formatters: CheckResult / SimReport -> text, json, sarif, junit, md, html.
  { name: 'report', path: '^src/report/', may: ['model', 'rules', 'simulate', 'engine'] },
  // The .kubeha.yaml settings file: text -> the engine's options.
  { name: 'config', path: '^src/config/', may: ['model', 'engine'] },
  // The edges that read the world: the file system and the API server.
  {
    name: 'sources',
    path: '^src/sources/(files|read-file|utf8|cluster-client|cluster-reader|cluster-errors|api-request|kubeconfig|prometheus|metrics-api|usage-[a-z-]+)\\.ts$',
    may: ['model', 'parse'],
  },
  // Live chaos experiments against a cluster.
  { name: 'chaos', path: '^src/chaos/', may: ['model', 'simulate', 'sources'] },
  // Right-sizing: usage history -> the VPA recommender's requests, their effect on HPAs, and the
  // simulator's proof that the resized application still survives its failures; its reports.
  { name: 'rightsize', path: '^src/rightsize/', may: ['model', 'simulate', 'parse', 'engine', 'fix'] },
  // The admission webhook and its metrics server.
  { name: 'serve', path: '^src/serve/', may: ['model', 'rules', 'engine', 'parse', 'sources'] },
  // The command line: process, arguments, exit codes; may use every layer but the library entry.
  {
    name: 'cli',
    path: '^src/cli/',
    may: [
      'model',
      'simulate',
      'rules',
      'parse',
      'engine',
      'fix',
      'report',
      'config',
      'sources',
      'chaos',
      'serve',
      'rightsize',
    ],
  },
  // The library entry: re-exports the typed functions of every layer but the command line.
  {
    name: 'library',
    path: '^src/(index\\.ts$|library/)',
    may: [
      'model',
      'simulate',
      'rules',
      'parse',
      'engine',
      'fix',
      'report',
      'config',
      'sources',
      'chaos',
      'serve',
      'rightsize',
    ],
  },
];

/** The layers with no I/O: they may not import node's built-in modules. */
const PURE = ['model', 'simulate', 'rules', 'parse', 'engine', 'fix', 'report', 'config', 'rightsize'];

const pathOf = (name) => {
  const layer = LAYERS.find((l) => l.name === name);
  if (!layer) throw new Error(`unknown layer ${name}`);
  return layer.path;
};

const layerRules = LAYERS.map((layer) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.name} may import only ${layer.may.length ? layer.may.join(', ') : 'itself'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: '^src/', pathNot: [layer.path, ...layer.may.map(pathOf)] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle ties modules that should be read, tested and changed one at a time',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'pure-core',
      comment: 'the core does no I/O: the file system, network and process are reached through the edges',
      severity: 'error',
      // model/openapi/load.ts reads the OpenAPI schemas shipped inside the package, once.
      from: { path: PURE.map(pathOf), pathNot: '^src/model/openapi/load\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports tie modules as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
