import { describe, expect, it } from 'vitest';
import { run } from '../cli/run.js';

// Usage errors are caught before anything connects to a cluster: one line, exit 2.
describe('kubeha chaos and serve: usage errors', () => {
  const cases: [string[], RegExp][] = [
    [
      ['chaos', 'meteor', 'x'],
      /^kubeha: the experiment must be one of node-loss, zone-loss, drain \(got "meteor"\)\n$/,
    ],
    [
      ['chaos', 'zone-loss', 'a', '-n', 'shop', '-A'],
      /^kubeha: --namespace and --all-namespaces exclude each other\n$/,
    ],
    [
      ['chaos', 'zone-loss', 'a', '--hold', 'soon'],
      /^kubeha: --hold must be a duration like 30s, 5m or 1h \(got "soon"\)\n$/,
    ],
    // The colour flags of every command (this one fails on the experiment, not on the flag).
    [
      ['chaos', 'meteor', 'x', '--no-color'],
      /^kubeha: the experiment must be one of node-loss, zone-loss, drain \(got "meteor"\)\n$/,
    ],
    [['chaos', 'meteor', 'x', '--color'], /^kubeha: the experiment must be one of/],
    // Readings are gone (chaos watches): the flag that timed them is too.
    [['chaos', 'drain', 'n', '--interval', '1s'], /^error: unknown option '--interval'\n$/],
    [['serve'], /^kubeha: --tls-cert and --tls-key are required/],
    [
      ['serve', '--tls-cert', 'c', '--tls-key', 'k', '--deny-on', 'panic'],
      /^error: option '--deny-on <severity>' argument 'panic' is invalid/,
    ],
    [
      ['serve', '--tls-cert', '/nonexistent/c', '--tls-key', '/nonexistent/k', '--no-cluster-context'],
      /^kubeha: cannot read the TLS certificate or key: ENOENT/,
    ],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});
