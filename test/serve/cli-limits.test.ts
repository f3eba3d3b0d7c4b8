// `kubeha serve --max-body-bytes --max-in-flight`: the limits of docs/serve.md reach the server, and
// a value that is not a whole number ≥ 1 is a usage error.
import { request as httpsRequest } from 'node:https';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeCerts } from '../../tools/cluster/certs.mjs';
import { ROOT, run } from '../cli/run.js';

const certs = makeCerts();

describe('kubeha serve limits flags', () => {
  it('--max-body-bytes 1000: a 2 000-byte review is answered 413', async () => {
    let stderr = '';
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const exit = main(
      [
        'serve',
        '--tls-cert',
        certs.cert,
        '--tls-key',
        certs.key,
        '--address',
        '127.0.0.1',
        '--port',
        '0',
        '--metrics-port',
        'off',
        '--no-cluster-context',
        '--max-body-bytes',
        '1000',
        '--max-in-flight',
        '4',
      ],
      {
        stdout: () => undefined,
        stderr: (s) => (stderr += s),
        readStdin: () => Promise.resolve(''),
        cwd: ROOT,
        env: { NO_COLOR: '1' },
        stdoutIsTTY: false,
        untilStopped: () => stopped,
      },
    );
    for (let i = 0; i < 100 && !/webhook on /.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
    const url = new URL(/webhook on (\S+)/.exec(stderr)![1]!);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', ca: certs.ca },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(' '.repeat(2000));
    });
    expect(status).toBe(413);
    stop('SIGTERM');
    expect(await exit).toBe(0);
  });

  it.each([
    ['--max-body-bytes', '0'],
    ['--max-in-flight', 'many'],
  ])('%s %s is a usage error', async (flag, value) => {
    const r = await run(['serve', '--tls-cert', certs.cert, '--tls-key', certs.key, flag, value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag} must be a whole number ≥ 1 (got "${value}")`);
  });
});
