// Every function of the package entry (src/index.ts, package.json "exports") checks its arguments:
// null, a string, a number or an object of the wrong shape is a KubehaArgumentError (a TypeError)
// that names the function, the argument and what it must be (docs/library.md, "Errors").
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';
import { KubehaArgumentError } from '../src/index.js';

const deployment = lib.parseManifests(
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: web:1 }] }\n',
  'web.yaml',
).objects;

/**
 * For each function: valid arguments (checked to pass), and which argument to spoil. Each wrong
 * value replaces that argument and must be refused with the message's start.
 */
interface Case {
  call: (...args: unknown[]) => unknown;
  valid: unknown[];
  async?: boolean;
  /**
   * Per argument position spoiled, the argument's name and what it must be. `free`: every field of
   * the object is optional, so an object of other fields is valid (options).
   */
  expect: Record<number, { argument: string; expected: string; free?: boolean }>;
  /** No valid arguments at hand (a live cluster): only the refusals are tested. */
  noValid?: boolean;
}

const call =
  (f: unknown) =>
  (...args: unknown[]): unknown =>
    (f as (...a: unknown[]) => unknown)(...args);

const report = lib.simulate(deployment, lib.shorthandTopology({ nodes: 2, zones: 1 }), {
  scenarios: ['placement'],
});
const result = lib.check(deployment);
const reportContext = { toolVersion: 'x', rules: [], color: false, failOn: 'error', docsBaseUrl: '' };
const k8s = {
  argument: 'objects',
  expected: 'an array of K8sObject, as parseManifests or readCluster returns',
};

const CASES: Record<string, Case> = {
  check: {
    call: call(lib.check),
    valid: [deployment, {}],
    expect: {
      0: k8s,
      1: { argument: 'options', expected: 'CheckOptions (an object), or undefined', free: true },
    },
  },
  parseManifests: {
    call: call(lib.parseManifests),
    valid: ['kind: Pod', 'a.yaml', {}],
    expect: { 0: { argument: 'text', expected: 'a string' }, 1: { argument: 'file', expected: 'a string' } },
  },
  ObjectIndex: {
    call: (...a) => new lib.ObjectIndex(...(a as [never, never])),
    valid: [deployment],
    expect: { 0: k8s },
  },
  toWorkload: {
    call: call(lib.toWorkload),
    valid: [deployment[0]],
    expect: {
      0: { argument: 'object', expected: 'a K8sObject, as parseManifests or readCluster returns it' },
    },
  },
  ruleById: {
    call: call(lib.ruleById),
    valid: ['single-replica'],
    expect: { 0: { argument: 'id', expected: 'a string' } },
  },
  connect: {
    call: call(lib.connect),
    valid: [{ kubeconfig: '/nonexistent/kubeconfig' }],
    async: true,
    expect: { 0: { argument: 'options', expected: 'ConnectOptions (an object), or undefined', free: true } },
  },
  readCluster: {
    call: call(lib.readCluster),
    valid: [{ get: () => Promise.resolve({}) }, {}],
    async: true,
    expect: { 0: { argument: 'client', expected: 'a ClusterClient, as connect returns it' } },
  },
  parseConfig: {
    call: call(lib.parseConfig),
    valid: ['{}', '.kubeha.yaml', new Set<string>()],
    async: true,
    expect: { 2: { argument: 'knownRules', expected: 'a Set of rule ids' } },
  },
  simulate: {
    call: call(lib.simulate),
    valid: [deployment, lib.shorthandTopology({ nodes: 1, zones: 1 }), {}],
    expect: {
      0: k8s,
      1: {
        argument: 'topology',
        expected: 'a Topology, as shorthandTopology or topologyFromObjects returns it',
      },
    },
  },
  mergeReports: {
    call: call(lib.mergeReports),
    valid: [[report]],
    expect: { 0: { argument: 'shards', expected: 'an array of SimReport, as simulate returns them' } },
  },
  shorthandTopology: {
    call: call(lib.shorthandTopology),
    valid: [{ nodes: 3, zones: 3 }],
    expect: { 0: { argument: 'shorthand', expected: 'a ShorthandTopology such as { nodes: 6, zones: 3 }' } },
  },
  topologyFromObjects: { call: call(lib.topologyFromObjects), valid: [deployment], expect: { 0: k8s } },
  fix: {
    call: call(lib.fix),
    valid: [deployment, result.findings, {}],
    expect: { 0: k8s, 1: { argument: 'findings', expected: 'an array of Finding, as check returns' } },
  },
  applyPatches: {
    call: call(lib.applyPatches),
    valid: ['kind: Pod\n', 'a.yaml', []],
    expect: {
      0: { argument: 'sourceText', expected: 'a string' },
      2: { argument: 'patches', expected: 'an array of Patch, as fix returns' },
    },
  },
  fixSources: {
    call: call(lib.fixSources),
    valid: [[{ file: 'a.yaml', text: 'kind: Pod\n' }]],
    expect: { 0: { argument: 'sources', expected: 'an array of a SourceFile { file, text }' } },
  },
  admit: {
    call: call(lib.admit),
    valid: [
      { uid: 'u', operation: 'CREATE', namespace: 'default', object: deployment[0]!.raw },
      [],
      { rules: lib.rules, denyOn: 'none' },
    ],
    expect: {
      0: { argument: 'request', expected: 'an AdmissionRequest, as parseReview returns it' },
      1: { argument: 'context', expected: 'an array of K8sObject, as parseManifests or readCluster returns' },
      2: { argument: 'settings', expected: 'AdmitSettings such as { rules, denyOn: "error" }' },
    },
  },
  // parseReview reads any value (a string says why it is not a review): nothing to refuse.
  reviewResponse: {
    call: call(lib.reviewResponse),
    valid: [{ uid: 'u', allowed: true }],
    expect: {
      0: { argument: 'response', expected: 'an AdmissionResponse, as admit returns it (.response)' },
    },
  },
  planExperiment: {
    call: call(lib.planExperiment),
    valid: [deployment, { kind: 'node-loss', target: 'n1' }],
    expect: {
      0: k8s,
      1: {
        argument: 'experiment',
        expected: 'an Experiment such as { kind: "node-loss", target: "node-1" }',
      },
    },
  },
  runExperiment: {
    call: call(lib.runExperiment),
    valid: [],
    noValid: true,
    async: true,
    expect: { 0: { argument: 'cluster', expected: 'a ChaosCluster { writer, watch }' } },
  },
  ...Object.fromEntries(
    Object.entries(lib.formatters).map(([name, f]) => [
      `formatters.${name}`,
      {
        call: call(f),
        valid: [result, reportContext],
        expect: {
          0: { argument: 'result', expected: 'a CheckResult, as check returns it' },
          1: { argument: 'context', expected: 'a ReportContext (an object)' },
        },
      } satisfies Case,
    ]),
  ),
};

/** What a bad call did: its error, thrown or (async) rejected. */
async function failure(c: Case, args: unknown[]): Promise<unknown> {
  try {
    const r = c.call(...args);
    if (c.async) await r;
  } catch (e) {
    return e;
  }
  return undefined;
}

const WRONG: [string, unknown, string][] = [
  ['null', null, 'null'],
  ['a string', 'str', 'the string "str"'],
  ['a number', 42, 'the number 42'],
  ['an object of the wrong shape', { wrong: true }, ''],
];

describe('every exported function checks its arguments', () => {
  it('the table covers every function the entry exports (parseReview reads any value)', () => {
    const functions = Object.entries(lib)
      .filter(([, v]) => typeof v === 'function')
      .map(([name]) => name)
      .filter(
        (name) => !['ApiError', 'ClusterUnreachable', 'KubehaArgumentError', 'parseReview'].includes(name),
      );
    const formatters = Object.keys(lib.formatters).map((n) => `formatters.${n}`);
    expect(Object.keys(CASES).sort()).toEqual([...functions, ...formatters].sort());
  });

  for (const [name, c] of Object.entries(CASES)) {
    for (const [position, { argument, expected, free }] of Object.entries(c.expect)) {
      for (const [what, value, got] of WRONG) {
        // An object where an object is expected is refused for the first field it lacks.
        const objectExpected = !/^(an array|a string|a Set)/.test(expected);
        if (what === 'an object of the wrong shape' && free) continue;
        if (what === 'a string' && expected === 'a string') continue;
        it(`${name}: ${argument} given ${what}`, async () => {
          const args = [...c.valid];
          args[Number(position)] = value;
          const e = await failure(c, args);
          expect(e).toBeInstanceOf(KubehaArgumentError);
          expect(e).toBeInstanceOf(TypeError);
          const error = e as KubehaArgumentError;
          expect(error.name).toBe('KubehaArgumentError');
          expect(error.functionName).toBe(name);
          if (what === 'an object of the wrong shape' && objectExpected) {
            // The first field it needs: `request.uid must be a string (got undefined)`.
            expect(error.message).toMatch(
              new RegExp(
                `^kubeha ${name.replace('.', '\\.')}\\(\\): ${argument}\\.\\w+ must be .+ \\(got undefined\\)$`,
              ),
            );
          } else {
            expect(error.message).toBe(
              `kubeha ${name}(): ${argument} must be ${expected} (got ${got || 'an object with wrong'})`,
            );
          }
        });
      }
    }
    if (!c.noValid)
      it(`${name}: valid arguments pass the check`, async () => {
        const e = await failure(c, c.valid);
        expect(e instanceof KubehaArgumentError ? e.message : undefined).toBeUndefined();
      });
  }
});

describe('the messages name the wrong part', () => {
  it('check("str") and check(null), which succeeded and threw a bare TypeError', () => {
    expect(() => lib.check('str' as never)).toThrow(
      'kubeha check(): objects must be an array of K8sObject, as parseManifests or readCluster returns (got the string "str")',
    );
    expect(() => lib.check(null as never)).toThrow(KubehaArgumentError);
  });

  it('an item of an array, down to its field', () => {
    const [web] = deployment;
    expect(() => lib.check([web!, { ...web!, kind: 3 }] as never)).toThrow(
      'kubeha check(): objects[1].kind must be a string (got the number 3)',
    );
    expect(() => lib.check(deployment, { zones: 0 })).toThrow(
      'kubeha check(): options.zones must be a whole number ≥ 1, or undefined (got the number 0)',
    );
    expect(() =>
      lib.admit({ uid: 'u', operation: 'CREATE', namespace: 'x', object: undefined }, [], {
        rules: lib.rules,
        denyOn: 'fatal' as never,
      }),
    ).toThrow(
      'kubeha admit(): settings.denyOn must be one of "error", "warning", "info", "none" (got the string "fatal")',
    );
  });

  it('the async functions reject rather than throw', async () => {
    const pending = lib.connect('prod' as never);
    await expect(pending).rejects.toThrow(
      'kubeha connect(): options must be ConnectOptions (an object), or undefined (got the string "prod")',
    );
  });
});
