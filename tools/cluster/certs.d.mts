/// <reference types="node" />
// Types for certs.mjs, so that the TypeScript tests can use it.

/**
 * A CA (`ca`, PEM) and a certificate and key (file paths) for 127.0.0.1 and `dnsName` when given, in
 * `dir` (default: a new temporary folder).
 */
export function makeCerts(options?: { dir?: string; dnsName?: string; caName?: string }): {
  dir: string;
  ca: Buffer;
  cert: string;
  key: string;
};
