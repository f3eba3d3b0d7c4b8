/**
 * The admission webhook on generated AdmissionReview bodies (reviews of generated objects, reviews
 * with junk in the request, JSON that is not a review, byte strings): parseReview and admit never
 * throw, a review is answered for its uid with warnings the API server keeps, and through the real
 * HTTPS server every body gets 200 or 400, never a 500 or a dropped connection.
 */
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/model/types.js';
import { rules } from '../../src/rules/index.js';
import { admit, parseReview, type AdmitSettings } from '../../src/serve/admission.js';
import type { ContextSource } from '../../src/serve/context.js';
import { ServeMetrics } from '../../src/serve/metrics.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { parseManifests } from '../../src/sources/parse.js';
import { makeCerts } from '../../tools/cluster/certs.mjs';
import { junk, object, objects, render, type Json, type JsonMap } from './generators.js';
import { boundedAsync, bounded, holds, holdsAsync, params, timeout } from './settings.js';

const STATIC = rules.filter((r) => (r.scope ?? 'static') === 'static' && r.category !== 'simulation');
const CASE_MS = 5_000;

/** A review of a generated object, with junk in place of any part of the request now and then. */
const review: fc.Arbitrary<Json> = fc
  .record({
    uid: fc.oneof({ weight: 5, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.string() }),
    operation: fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT', 'create', ''),
    namespace: fc.constantFrom('default', 'shop', ''),
    object,
    oldObject: fc.option(object, { nil: undefined }),
    dryRun: fc.boolean(),
  })
  .chain((request) =>
    fc
      .option(
        fc.tuple(fc.constantFrom('uid', 'operation', 'namespace', 'object', 'request', 'apiVersion'), junk),
        {
          freq: 4,
        },
      )
      .map((damage) => {
        const body: JsonMap = {
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          request: JSON.parse(JSON.stringify(request)) as JsonMap,
        };
        if (!damage) return body;
        const [where, value] = damage;
        if (where === 'request' || where === 'apiVersion') body[where] = value;
        else (body['request'] as JsonMap)[where] = value;
        return body;
      }),
  );

/** Bodies as they come over the wire: reviews, other JSON, cut JSON, bytes. */
const body: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: review.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: junk.map((j) => JSON.stringify(j)) },
  {
    weight: 1,
    arbitrary: fc.tuple(review, fc.nat()).map(([r, at]) => {
      const text = JSON.stringify(r);
      return text.slice(0, at % (text.length + 1));
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
);

const settings: fc.Arbitrary<AdmitSettings> = fc.record({
  rules: fc.constant(STATIC),
  denyOn: fc.constantFrom('error' as const, 'warning' as const, 'none' as const),
  zones: fc.integer({ min: 1, max: 3 }),
});

function contextOf(docs: readonly JsonMap[]): K8sObject[] {
  return parseManifests(render(docs, 'block'), 'context.yaml', { defaultNamespace: 'shop' }).objects;
}

describe('property: admission', () => {
  it(
    'parseReview and admit on generated bodies and namespaces',
    () => {
      holds(
        'admission',
        fc.property(body, fc.option(objects, { nil: undefined }), settings, (text, docs, s) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return; // The server answers 400 before the handler: covered below.
          }
          const request = parseReview(parsed);
          if (typeof request === 'string') {
            expect(request.length).toBeGreaterThan(0);
            return;
          }
          const context = docs ? contextOf(docs) : [];
          const { response, denied, findings } = bounded('admit', CASE_MS, () => admit(request, context, s));
          expect(response.uid).toBe(request.uid);
          expect(response.allowed).toBe(denied.length === 0);
          // The API server keeps warnings of up to 256 characters.
          for (const w of response.warnings ?? []) expect(w.length).toBeLessThanOrEqual(256);
          expect(response.warnings ?? []).toHaveLength(findings.length);
          if (!response.allowed) expect(response.status?.code).toBe(403);
          JSON.stringify(response);
        }),
        params(300, 3_000),
      );
    },
    timeout(3_000),
  );

  describe('through the HTTPS server', () => {
    const certs = makeCerts();
    let server: RunningServer;
    let namespace: K8sObject[] = [];
    const context: ContextSource = {
      contextOf: () =>
        Promise.resolve({
          objects: namespace,
          listed: new Set([
            'Deployment',
            'StatefulSet',
            'PodDisruptionBudget',
            'HorizontalPodAutoscaler',
            'Service',
          ]),
          warnings: [],
          readAt: Date.now(),
        }),
    };
    const logged: string[] = [];

    beforeAll(async () => {
      server = await startServer({
        tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key) },
        address: '127.0.0.1',
        port: 0,
        context,
        settings: { rules: STATIC, denyOn: 'warning' },
        metrics: new ServeMetrics({ processMetrics: false }),
        log: (line) => logged.push(line),
      });
    });
    afterAll(() => server?.close(0));

    function post(text: string): Promise<{ status: number; body: string }> {
      const url = new URL(server.admissionUrl);
      return new Promise((resolve, reject) => {
        const req = httpsRequest(
          { host: url.hostname, port: url.port, path: '/validate', method: 'POST', ca: certs.ca },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
            );
          },
        );
        req.on('error', reject);
        req.end(Buffer.from(text, 'latin1'));
      });
    }

    it(
      'every body is answered 200 or 400, with JSON',
      async () => {
        await holdsAsync(
          'admission-server',
          fc.asyncProperty(body, fc.option(objects, { nil: undefined }), async (text, docs) => {
            namespace = docs ? contextOf(docs) : [];
            logged.length = 0;
            const answer = await boundedAsync('POST /validate', CASE_MS, () => post(text));
            expect([200, 400], `${answer.status} ${answer.body} ${logged.join('\n')}`).toContain(
              answer.status,
            );
            const json = JSON.parse(answer.body) as { response?: { uid?: unknown; allowed?: unknown } };
            if (answer.status === 200) {
              expect(typeof json.response?.allowed).toBe('boolean');
              // Fail open is for the cluster's sake; on generated input it means the checker threw.
              expect(logged.filter((l) => l.includes('could not check'))).toEqual([]);
            }
          }),
          params(80, 2_000),
        );
      },
      timeout(2_000),
    );
  });
});
