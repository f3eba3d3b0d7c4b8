import { describe, expect, it } from 'vitest';
import { Informer } from '../../src/chaos/informer.js';
import { WatchExpired, type OpenWatch, type WatchEvent, type WatchSource } from '../../src/chaos/watch.js';
import { ApiError } from '../../src/sources/cluster-client.js';
import type { JsonObject } from '../../src/model/types.js';

const obj = (name: string, rv: string): JsonObject => ({
  metadata: { name, namespace: 'ns', uid: name, resourceVersion: rv },
});

/**
 * A WatchSource that plays a script: each list answers the next listing, each watch sends its events
 * and then ends as the script says (the server's timeout, or 410 Gone).
 */
function scripted(
  lists: JsonObject[][],
  watches: { events: WatchEvent[]; end: Error | undefined }[],
  calls: string[],
): WatchSource {
  return {
    async list(path) {
      const items = lists.shift() ?? [];
      calls.push(`list ${path}`);
      return { items, resourceVersion: String(calls.length) };
    },
    async watch(path, rv, onEvent, signal): Promise<OpenWatch> {
      calls.push(`watch ${path} from ${rv}`);
      const next = watches.shift();
      if (!next)
        return {
          ended: new Promise((r) => signal.addEventListener('abort', () => r(undefined), { once: true })),
        };
      for (const e of next.events)
        onEvent(e, (e.object['metadata'] as JsonObject)['resourceVersion'] as string);
      return { ended: Promise.resolve(next.end) };
    },
  };
}

describe('Informer', () => {
  it('lists, watches from the list, resumes from the last version, and re-lists after 410 Gone with the difference as events', async () => {
    const calls: string[] = [];
    const seen: string[] = [];
    const source = scripted(
      [
        [obj('a', '1'), obj('b', '1')],
        [obj('a', '1'), obj('c', '5')],
      ],
      [
        { events: [{ type: 'MODIFIED', object: obj('a', '2') }], end: undefined },
        { events: [], end: new WatchExpired('too old') },
      ],
      calls,
    );
    const informer = new Informer(source, [{ kind: 'Pod', path: '/pods' }], (kind, type, o) =>
      seen.push(`${kind} ${type} ${String((o['metadata'] as JsonObject)['name'])}`),
    );
    await informer.start();
    await new Promise((r) => setTimeout(r, 20));
    await informer.stop();
    expect(calls).toEqual([
      'list /pods',
      'watch /pods from 1',
      'watch /pods from 2',
      'list /pods',
      'watch /pods from 4',
    ]);
    // a changed (version 2 → 1 in the new list), b gone while not watched, c new.
    expect(seen).toEqual([
      'Pod ADDED a',
      'Pod ADDED b',
      'Pod MODIFIED a',
      'Pod MODIFIED a',
      'Pod ADDED c',
      'Pod DELETED b',
    ]);
  });

  it('a refused watch fails start, before anything is changed', async () => {
    const source: WatchSource = {
      list: async () => ({ items: [], resourceVersion: '1' }),
      watch: async () => {
        throw new ApiError(403, 'pods is forbidden: User "x" cannot watch resource "pods"');
      },
    };
    await expect(
      new Informer(source, [{ kind: 'Pod', path: '/pods' }], () => undefined).start(),
    ).rejects.toThrow(/cannot watch/);
  });
});
