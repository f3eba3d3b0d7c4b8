import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { ClusterUnreachable } from './cluster-errors.js';

/** node:http's or node:https's request function, whichever the server's scheme needs. */
export type RequestFn = (
  options: RequestOptions,
  onResponse: (res: IncomingMessage) => void,
) => ClientRequest;

/**
 * The API server did not answer within the time given. Not retried: the wait the user allowed is
 * spent, and an API server that holds a connection without answering rarely answers the next one.
 */
export class NoAnswer extends ClusterUnreachable {}

export interface Limits {
  /**
   * The longest kubeha waits for the API server to say anything: to connect (TCP and TLS), for the
   * answer to start, and between two parts of it while it streams. 0: no limit.
   */
  answerMs: number;
  /** The whole exchange, from sending to the last byte (a slow drip is not an answer). 0: no limit. */
  totalMs: number;
}

/** A whole answer: status, body and how long the server asked to wait before trying again. */
export interface Answer {
  status: number;
  text: string;
  retryAfterMs: number | undefined;
}

/** What the exchange was waiting for when the time ran out, for the one line the user reads. */
type Phase = 'connect' | 'tls' | 'answer' | 'body';

const STALLED: Record<Phase, string> = {
  connect: 'the connection was not established',
  tls: 'it accepted the connection but the TLS handshake did not finish',
  answer: 'the request was sent and no answer came',
  body: 'the answer stopped coming',
};

/**
 * Sends one request and reads its answer whole, within `limits`. Rejects with NoAnswer when time
 * runs out, ClusterUnreachable when the connection fails; the socket is destroyed either way, so
 * nothing is left holding the process open.
 */
export function requestWhole(
  request: RequestFn,
  options: RequestOptions,
  payload: string | undefined,
  server: string,
  limits: Limits,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, answer?: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      silence.stop();
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(answer!);
    };
    const req = request(options, (res) => {
      tracker.phase = 'body';
      silence.restart();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        silence.restart();
        chunks.push(c);
      });
      res.on('error', (e) => settle(unreachable(server, e)));
      res.on('aborted', () => settle(new ClusterUnreachable(`${server}: the answer was cut short`)));
      res.on('end', () =>
        settle(undefined, {
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          retryAfterMs: retryAfter(res.headers['retry-after']),
        }),
      );
    });
    const tracker = trackPhase(req, options.protocol === 'https:');
    const silence = silenceTimer(limits.answerMs, () =>
      settle(silent(server, limits.answerMs, tracker.phase)),
    );
    req.on('error', (e) => settle(unreachable(server, e)));
    const total =
      limits.totalMs > 0
        ? setTimeout(
            () => settle(new NoAnswer(`${server}: the answer took longer than ${seconds(limits.totalMs)} s`)),
            limits.totalMs,
          )
        : undefined;
    silence.restart();
    req.end(payload);
  });
}

/**
 * A timer that fires after `ms` of silence. Our own, not the socket's idle timeout: on a TLS socket
 * that one fired only after twice its time while the handshake hung (measured: 6.1 s for 3 s).
 */
function silenceTimer(ms: number, onSilence: () => void): { restart: () => void; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    restart() {
      clearTimeout(timer);
      if (ms > 0) timer = setTimeout(onSilence, ms);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

/**
 * Sends a request whose answer is a stream (a watch): resolves with the response once it has
 * started, within `answerMs`; from then on the stream may stay silent as long as nothing changes,
 * and ending it is the caller's.
 */
export function requestStream(
  request: RequestFn,
  options: RequestOptions,
  server: string,
  answerMs: number,
): { req: ClientRequest; response: Promise<IncomingMessage> } {
  let req!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    let started = false;
    req = request(options, (res) => {
      started = true;
      silence.stop();
      resolve(res);
    });
    const tracker = trackPhase(req, options.protocol === 'https:');
    const silence = silenceTimer(answerMs, () => req.destroy(silent(server, answerMs, tracker.phase)));
    req.on('error', (e) => {
      silence.stop();
      if (!started) reject(e instanceof ClusterUnreachable ? e : unreachable(server, e));
    });
    silence.restart();
    req.end();
  });
  return { req, response };
}

function trackPhase(req: ClientRequest, tls: boolean): { phase: Phase } {
  const tracker: { phase: Phase } = { phase: 'connect' };
  req.on('socket', (socket) => {
    // A kept-alive connection is connected already.
    if (req.reusedSocket || !socket.connecting) {
      tracker.phase = 'answer';
      return;
    }
    socket.once('connect', () => {
      if (tracker.phase === 'connect') tracker.phase = tls ? 'tls' : 'answer';
    });
    socket.once('secureConnect', () => {
      if (tracker.phase === 'tls') tracker.phase = 'answer';
    });
  });
  return tracker;
}

function silent(server: string, ms: number, phase: Phase): NoAnswer {
  return new NoAnswer(`no answer from ${server} in ${seconds(ms)} s: ${STALLED[phase]}`);
}

function unreachable(server: string, e: Error): ClusterUnreachable {
  if (e instanceof ClusterUnreachable) return e;
  return new ClusterUnreachable(`cannot reach ${server}: ${firstLine(e)}`);
}

/** Retry-After in seconds (what the API server sends with 429 and 503), as ms. */
function retryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

export function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
