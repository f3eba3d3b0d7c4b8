/// <reference types="node" />
// Types for certs.mjs, so that the TypeScript tests can use it.

/** A CA (`ca`, PEM) and a certificate and key for 127.0.0.1 (file paths) in a new temporary folder. */
export function makeCerts(): { dir: string; ca: Buffer; cert: string; key: string };
