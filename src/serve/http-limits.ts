import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The limits serve puts on what a client may send it (docs/serve.md, "Limits"). The API server sends
 * one AdmissionReview of at most ~3 MiB of object (and as much of old object on UPDATE), within the
 * webhook's timeoutSeconds (at most 30 s); anything past these is not the API server.
 */
export interface ServeLimits {
  /** Bytes of one request body; past it: 413. */
  maxBodyBytes: number;
  /** Reviews read or judged at once; past it: 429, at once. */
  maxInFlight: number;
  /** Time from the connection to the end of the request headers (slow-loris); past it: 408, closed. */
  headersTimeoutMs: number;
  /** Time from the connection to the end of the request body; past it: 408, closed. */
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  maxBodyBytes: 8 * 2 ** 20,
  maxInFlight: 32,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

/**
 * The options of node's HTTP(S) server that enforce the time limits. Node checks them every
 * `connectionsCheckingInterval` (30 s by default, more than the limits themselves): a tenth of the
 * shorter one, so a limit is enforced within 10 % of itself.
 */
export function timeoutOptions(limits: ServeLimits): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  const shorter = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.floor(shorter / 10)),
  };
}

/** How long a refused request's remaining body is read and dropped before its connection is cut. */
const DRAIN_MS = 1000;

/**
 * The body as text; `too-large` as soon as it is known to be longer than `limit` bytes: from its
 * Content-Length before a byte of it is read, else when the bytes counted so far pass the limit.
 * Never more than `limit` bytes are kept.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size <= limit) return void chunks.push(c);
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      resolve('too-large');
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/**
 * Answers a request that will not be read (too large, too many at once). Closing a socket with unread
 * bytes in it resets the connection, and a client still sending (an HTTP client writes the whole body
 * before it reads) would see the reset instead of the answer: what is still coming is read and dropped
 * for up to a second after the answer, then the connection is cut. A body that ends within that second
 * (a small review turned away with 429) leaves the connection open for the next one.
 */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const socket = req.socket;
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ message }));
  if (req.complete) return;
  const cut = setTimeout(() => socket.destroy(), DRAIN_MS);
  cut.unref();
  req.on('data', () => undefined);
  req.once('end', () => clearTimeout(cut));
  socket.once('close', () => clearTimeout(cut));
  req.resume();
}
