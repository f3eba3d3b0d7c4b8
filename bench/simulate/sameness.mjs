// Writes the simulator's reports (timings left out) for a fixed set of inputs into a folder, so a
// performance change can be checked to leave every verdict, message and placement byte-identical:
//   node bench/simulate/sameness.mjs /tmp/before      (on the old build)
//   node bench/simulate/sameness.mjs /tmp/after       (on the new build)
//   diff -r /tmp/before /tmp/after
// Add --large for the 1 000-node full analysis (about 15 s). KUBEHA_DIST=<folder> compares a build
// kept elsewhere than dist/ (relative to the repository root).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from './generate.mjs';

const dist = resolve(process.env.KUBEHA_DIST ?? 'dist');
const { simulate } = await import(pathToFileURL(join(dist, 'index.js')).href);

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--'));
if (!out) {
  console.error('usage: node bench/simulate/sameness.mjs <folder> [--large]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

function save(name, report) {
  delete report.stats;
  writeFileSync(join(out, `${name}.json`), JSON.stringify(report, null, 1));
  console.error(`${name}: ${JSON.stringify(report.summary)}`);
}

// The bundled examples through the CLI (every scenario, both upgrade modes, worst case).
const cli = (name, argv) => {
  let stdout;
  try {
    stdout = execFileSync(process.execPath, [join(dist, 'cli/bin.js'), 'simulate', ...argv, '-o', 'json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
  } catch (e) {
    stdout = e.stdout; // exit 1 on an outage is expected
  }
  writeFileSync(join(out, `${name}.json`), stdout);
  console.error(`${name}: ${stdout.length} bytes`);
};
const nodes = ['--topology', 'examples/simulate/nodes.yaml'];
cli('example-web', ['examples/simulate/web.yaml', ...nodes]);
cli('example-orders', ['examples/simulate/orders.yaml', ...nodes]);
cli('example-orders-inplace', ['examples/simulate/orders.yaml', ...nodes, '--upgrade-mode', 'in-place']);
cli('example-orders-worst', ['examples/simulate/orders.yaml', ...nodes, '--worst-case']);
for (const app of ['good-app', 'bad-app', 'seed']) {
  cli(`example-${app}`, [`examples/${app}`, '--nodes', '6', '--zones', '3']);
  cli(`example-${app}-worst`, [`examples/${app}`, '--nodes', '9', '--zones', '3', '--worst-case']);
}

// Generated clusters through the library: every scenario kind, and the worst case.
const small = generate({ nodes: 200, pods: 6000, mix: 'realistic', seed: 7 });
save('gen-200-all', simulate(small.objects, small.topology));
save('gen-200-worst', simulate(small.objects, small.topology, { worstCase: true, scenarios: ['node-loss'] }));
save(
  'gen-200-inplace',
  simulate(small.objects, small.topology, { scenarios: ['upgrade'], upgradeMode: 'in-place' }),
);
// A tight cluster: few nodes, so pods stay Pending and drains block.
const tight = generate({ nodes: 60, pods: 4000, mix: 'realistic', seed: 3 });
save('gen-60-tight', simulate(tight.objects, tight.topology));
for (const mix of ['zone-spread', 'anti-affinity']) {
  const g = generate({ nodes: 300, pods: 3000, mix });
  save(`gen-300-${mix}`, simulate(g.objects, g.topology, { scenarios: ['node-loss', 'zone-loss', 'drain'] }));
}
if (args.includes('--large')) {
  const g = generate({ nodes: 1000, pods: 30000, mix: 'realistic' });
  save('gen-1000-full', simulate(g.objects, g.topology, { scenarios: ['node-loss', 'zone-loss', 'drain'] }));
}
