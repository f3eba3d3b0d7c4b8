// A CA and a serving certificate for 127.0.0.1, made with Debian's openssl: what the API server needs
// to call a webhook by URL (clientConfig.url with caBundle), or an aggregated API through a Service's
// DNS name (tools/metrics-server). Used by the serve tests, bench/serve and tools/metrics-server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeCerts({
  dir = mkdtempSync(join(tmpdir(), 'kubeha-serve-')),
  dnsName,
  caName = 'kubeha-test-ca',
} = {}) {
  const openssl = (...args) => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${dnsName ? `DNS:${dnsName},` : ''}IP:127.0.0.1\n`);
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    `/CN=${caName}`,
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tls.key',
    '-out',
    'tls.csr',
    '-subj',
    `/CN=${dnsName ?? '127.0.0.1'}`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'tls.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tls.pem',
    '-days',
    '1',
    '-extfile',
    'san.ext',
  );
  return {
    dir,
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: join(dir, 'tls.pem'),
    key: join(dir, 'tls.key'),
  };
}
