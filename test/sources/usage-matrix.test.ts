import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSeries, PrometheusError, scanMatrix } from '../../src/sources/usage-matrix.js';

const where = 'Prometheus at http://127.0.0.1:9090';

describe("Prometheus' HTTP API answers as series", () => {
  it('reads a matrix (query_range), dropping NaN and infinite samples', () => {
    const text = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { namespace: 'shop', pod: 'web-1', container: 'app' },
            values: [
              [1733300000, '0.25'],
              [1733303600, 'NaN'],
              [1733307200.5, '+Inf'],
              [1733310800, '1e-3'],
            ],
          },
        ],
      },
    });
    expect(parseSeries(text, 200, where)).toEqual([
      {
        labels: { namespace: 'shop', pod: 'web-1', container: 'app' },
        samples: [
          { time: 1733300000, value: 0.25 },
          { time: 1733310800, value: 0.001 },
        ],
      },
    ]);
  });

  it('reads a vector (instant query) as one sample per series', () => {
    const text =
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":"a"},"value":[5,"7"]}]}}';
    expect(parseSeries(text, 200, where)).toEqual([
      { labels: { pod: 'a' }, samples: [{ time: 5, value: 7 }] },
    ]);
  });

  it("says Prometheus' own error in one line", () => {
    const text = JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unexpected "}"\nmore',
    });
    expect(() => parseSeries(text, 400, where)).toThrow(
      new PrometheusError(
        `${where} answered HTTP 400, bad_data: invalid parameter "query": 1:5: parse error: unexpected "}"`,
      ),
    );
  });

  it('says when the answer is not from the Prometheus API at all (a wrong URL)', () => {
    expect(() => parseSeries('<html>404 page not found</html>', 404, where)).toThrow(
      /answered HTTP 404 with no Prometheus API answer \(is it the base URL of a Prometheus server\?\)/,
    );
    expect(() => parseSeries('', 502, where)).toThrow(/HTTP 502 with an empty answer/);
    expect(() =>
      parseSeries('{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}', 200, where),
    ).toThrow(/without data.result|a scalar/);
  });
});

describe('the matrix scan (a range answer read without JSON.parse of its samples)', () => {
  /** What JSON.parse reads, to compare with: the slow path. */
  function slow(text: string) {
    const body = JSON.parse(text) as {
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    return body.data.result.map((r) => ({
      labels: r.metric,
      samples: r.values
        .map(([time, v]) => ({ time, value: Number(v) }))
        .filter((s) => Number.isFinite(s.value)),
    }));
  }

  it('reads what JSON.parse reads, labels with quotes and braces included, warnings after the data', () => {
    const text =
      '{"status":"success","data":{"resultType":"matrix","result":[' +
      '{"metric":{"container":"a}\\"b","pod":"p{1}"},"values":[[1733300000,"0.5"],[1733300060.25,"NaN"],[1733300120,"7e-3"]]},' +
      '{"metric":{},"values":[],"histograms":[[1,{"count":"1","sum":"2","buckets":[[0,"1","2","1"]]}]]}' +
      ']},"warnings":["PromQL info: metric might not be a counter"]}';
    expect(scanMatrix(text)).toEqual([
      {
        labels: { container: 'a}"b', pod: 'p{1}' },
        samples: [
          { time: 1733300000, value: 0.5 },
          { time: 1733300120, value: 0.007 },
        ],
      },
      { labels: {}, samples: [] },
    ]);
    expect(scanMatrix('{"status":"success","data":{"resultType":"matrix","result":[]}}')).toEqual([]);
  });

  it('agrees with JSON.parse on any matrix Prometheus could write', () => {
    const matrix = fc.array(
      fc.record({
        metric: fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]*$/), fc.string()),
        values: fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2e9 }).map((t) => t / 4),
            fc.oneof(
              fc.double({ noNaN: false }).map(String),
              fc.constantFrom('NaN', '+Inf', '-Inf', '1e308'),
            ),
          ),
        ),
      }),
    );
    fc.assert(
      fc.property(matrix, (result) => {
        const text = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
        expect(scanMatrix(text)).toEqual(slow(text));
        expect(parseSeries(text, 200, 'x')).toEqual(slow(text));
      }),
    );
  });

  it('leaves to JSON.parse every layout it does not know', () => {
    expect(scanMatrix('{"status":"success","data":{"resultType":"vector","result":[]}}')).toBeUndefined();
    expect(scanMatrix('{"status": "success", "data": {}}')).toBeUndefined();
    expect(
      scanMatrix(
        '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]',
      ),
    ).toBeUndefined();
  });
});
