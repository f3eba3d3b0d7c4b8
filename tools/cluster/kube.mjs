// A minimal Kubernetes API client for the test cluster: reads a kubeconfig (the current context's
// server, CA and client certificate, as files or inline data) and sends JSON requests over HTTPS
// with Node's own https module. Enough for the node helper and the end-to-end tests; kubeha's
// live-cluster reader uses @kubernetes/client-node instead.
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

function named(list, name, what, path) {
  const entry = (list ?? []).find((e) => e.name === name);
  if (!entry) throw new Error(`${path}: no ${what} named ${JSON.stringify(name)}`);
  return entry;
}

function material(base, data, file) {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readFileSync(isAbsolute(file) ? file : resolve(base, file));
  return undefined;
}

/** Loads the current context of a kubeconfig file. */
export function loadKubeconfig(path) {
  const config = parse(readFileSync(path, 'utf8'));
  const base = dirname(path);
  const contextName = config['current-context'];
  const context = named(config.contexts, contextName, 'context', path).context;
  const cluster = named(config.clusters, context.cluster, 'cluster', path).cluster;
  const user = named(config.users, context.user, 'user', path).user ?? {};
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ca: material(base, cluster['certificate-authority-data'], cluster['certificate-authority']),
    cert: material(base, user['client-certificate-data'], user['client-certificate']),
    key: material(base, user['client-key-data'], user['client-key']),
    token: user.token,
    insecure: cluster['insecure-skip-tls-verify'] === true,
  };
}

/**
 * Sends one request. `body` is serialised as JSON unless it is a string. Resolves with the status
 * code and the parsed JSON body (or the text when it is not JSON); rejects only on transport errors.
 */
export function kubeRequest(kc, method, path, body, contentType = 'application/json') {
  const url = new URL(kc.server + path);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers = { Accept: 'application/json' };
  if (payload !== undefined) {
    headers['Content-Type'] = contentType;
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  if (kc.token) headers.Authorization = `Bearer ${kc.token}`;
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolvePromise, reject) => {
    const req = send(
      url,
      {
        method,
        headers,
        ca: kc.ca,
        cert: kc.cert,
        key: kc.key,
        rejectUnauthorized: !kc.insecure,
        timeout: 30_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolvePromise({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Like kubeRequest, but rejects unless the status is 2xx (or one of `allow`). */
export async function kubeCall(kc, method, path, body, contentType, allow = []) {
  const res = await kubeRequest(kc, method, path, body, contentType);
  if ((res.status >= 200 && res.status < 300) || allow.includes(res.status)) return res;
  const message = typeof res.body === 'object' && res.body?.message ? res.body.message : String(res.body);
  throw new Error(`${method} ${path}: HTTP ${res.status}: ${message}`);
}

/**
 * Watches a collection (`path` without `?watch`): calls `onEvent({type, object})` for each event
 * the API server streams, from `resourceVersion` on. Resolves with a handle whose `stop()` ends the
 * stream; `done` settles when the stream ends (the API server closes watches after a while: the
 * caller restarts from the last resourceVersion it saw).
 */
export function kubeWatch(kc, path, resourceVersion, onEvent) {
  const sep = path.includes('?') ? '&' : '?';
  const url = new URL(
    `${kc.server}${path}${sep}watch=true&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion)}`,
  );
  const headers = { Accept: 'application/json' };
  if (kc.token) headers.Authorization = `Bearer ${kc.token}`;
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  let req;
  const done = new Promise((resolvePromise, reject) => {
    req = send(
      url,
      { method: 'GET', headers, ca: kc.ca, cert: kc.cert, key: kc.key, rejectUnauthorized: !kc.insecure },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
          return;
        }
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buffered += chunk;
          let nl;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line) onEvent(JSON.parse(line));
          }
        });
        res.on('end', () => resolvePromise());
        res.on('error', () => resolvePromise());
      },
    );
    req.on('error', (err) => (req.destroyed ? resolvePromise() : reject(err)));
    req.end();
  });
  return { stop: () => req.destroy(), done };
}
