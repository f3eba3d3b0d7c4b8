import { describe, expect, it } from 'vitest';
import { parseSeries, PrometheusError } from '../../src/sources/usage-matrix.js';

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
