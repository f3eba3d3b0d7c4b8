import { describe, expect, it } from 'vitest';
import { check } from '../../src/engine/check.js';
import rule from '../../src/rules/statefulset-service-missing.js';
import { parseManifests } from '../../src/sources/parse.js';
import { testRule } from '../rule-tester.js';

const statefulSet = (name: string, serviceName: string): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ${name}, namespace: data }
spec:
  serviceName: ${serviceName}
  replicas: 3
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: db, image: postgres }] }
`;

const service = (name: string, spec: string): string => `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: data }
spec: { ${spec} }
`;

testRule(rule, {
  valid: [
    {
      name: 'a StatefulSet governed by its headless Service',
      yaml: `${statefulSet('pass-db', 'pass-db')}---\n${service('pass-db', 'clusterIP: None, selector: { app: pass-db }, ports: [{ port: 5432 }]')}`,
    },
    {
      name: 'a StatefulSet without serviceName',
      yaml: `${statefulSet('pass-db', '""')}---\n${service('pass-web', 'selector: { app: web }, ports: [{ port: 80 }]')}`,
    },
  ],
  invalid: [
    {
      name: 'serviceName names a Service, and the namespace has none in the input',
      yaml: statefulSet('fail-db', 'fail-db'),
      errors: [
        {
          object: 'fail-db',
          messageId: 'missing',
          line: 5,
          data: { existing: 'it has none in the input' },
          message: 'no stable DNS names (fail-db-0.fail-db.data.svc)',
        },
      ],
    },
    {
      name: 'serviceName names no Service of the namespace (a typo)',
      yaml: `${statefulSet('fail-db', 'fail-db-hl')}---\n${service('fail-db-headless', 'clusterIP: None, selector: { app: fail-db }, ports: [{ port: 5432 }]')}`,
      errors: [
        {
          object: 'fail-db',
          messageId: 'missing',
          line: 5,
          path: '/spec/serviceName',
          severity: 'warning',
          data: { service: 'fail-db-hl', existing: 'it has fail-db-headless' },
          message:
            'StatefulSet fail-db names Service fail-db-hl, which is missing\nNo Service fail-db-hl is in namespace data (it has fail-db-headless).',
        },
      ],
    },
    {
      name: 'serviceName names a Service with a cluster IP, unset or written, or an ExternalName',
      yaml: [
        statefulSet('fail-db', 'db'),
        service('db', 'selector: { app: fail-db }, ports: [{ port: 5432 }]'),
        statefulSet('fail-kv', 'kv'),
        service('kv', 'clusterIP: 10.96.0.20, selector: { app: fail-kv }, ports: [{ port: 80 }]'),
        statefulSet('fail-mq', 'mq'),
        service('mq', 'type: ExternalName, externalName: mq.example.com'),
      ].join('---\n'),
      errors: [
        {
          object: 'fail-db',
          messageId: 'notHeadless',
          line: 5,
          data: { clusterIP: 'unset (the API server allocates one)' },
          message: 'so fail-db-0.db.data.svc does not resolve',
        },
        { object: 'fail-kv', messageId: 'notHeadless', line: 21, data: { clusterIP: '10.96.0.20' } },
        {
          object: 'fail-mq',
          messageId: 'notHeadless',
          line: 37,
          data: { clusterIP: 'none (an ExternalName alias, with no pods behind it)' },
        },
      ],
    },
  ],
});

describe('statefulset-service-missing: headline and detail', () => {
  it('the headline names the StatefulSet and the Service; the detail says what breaks and what to set', () => {
    const text = `${statefulSet('db', 'db')}---\n${service('db', 'selector: { app: db }, ports: [{ port: 5432 }]')}`;
    const { objects, problems } = parseManifests(text, 'sts.yaml');
    const [f] = check(objects, { problems }).findings.filter((x) => x.rule === 'statefulset-service-missing');
    expect(f?.message).toBe('StatefulSet db names Service db, which is not headless');
    expect(f?.detail).toMatch(/^Service db has clusterIP unset \(the API server allocates one\): /);
    expect(f?.detail).toMatch(/The governing Service must be headless: clusterIP: None/);
  });
});
