import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_RACY_WINDOW_MS } from '../../cli/publish/hash-cache.js';
import { CodesyncProcess } from '../helpers/codesync-process.js';
/** A real `codesync server` on a free loopback port with its data in the test's dir. */
export async function startServer(t, dataDir, extraArgs = []) {
    const server = new CodesyncProcess(['server', '--data', dataDir, '--listen', '127.0.0.1:0', ...extraArgs]);
    t.teardown(() => server.stop());
    return { url: await server.ready(), server };
}
/** GET a JSON document straight from the server, bypassing the CLI under test. */
export async function getJson(url) {
    const response = await fetch(url);
    if (!response.ok)
        throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json());
}
/**
 * Waits until files just written are older than the hash cache's racy window, so the cache may
 * vouch for them (a wait for a precondition, not a timed assertion).
 */
export async function settleTimestamps() {
    await sleep(DEFAULT_RACY_WINDOW_MS + 100);
}
/** Common flags of `codesync publish` in tests: its own cache file, no user-wide state, the app created for every node. */
export function publishFlags(url, dir, app = 'demo') {
    return ['--server', url, '--app', app, '--cache', join(dir, 'hash-cache.json'), '--create', '--selector', ''];
}
//# sourceMappingURL=server-fixture.js.map