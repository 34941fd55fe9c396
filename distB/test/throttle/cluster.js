import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { START_LIMIT_MS, waitFor } from '../helpers/wait-for.js';
/** A fresh directory removed after the test. */
export function tempDir(t, prefix) {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
}
/** A real `codesync server` on loopback (`listen` defaults to a free port); debug logs carry stream counts. */
export async function startServer(t, args, options = {}) {
    const data = options.data ?? tempDir(t, 'codesync-throttle-server-');
    const proc = new CodesyncProcess(['server', '--data', data, '--listen', options.listen ?? '127.0.0.1:0', ...args], { env: { CODESYNC_LOG_LEVEL: 'debug' } });
    t.teardown(() => proc.stop('SIGKILL'));
    return { proc, url: await proc.ready(), data };
}
/** A real `codesync agent` named `node`, holding every app (empty selectors match all nodes). */
export async function startAgent(t, server, node) {
    const root = tempDir(t, 'codesync-throttle-root-');
    const proc = new CodesyncProcess(['agent', '--server', server, '--root', root, '--listen', '127.0.0.1:0', '--no-socket', '--node', node], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => proc.stop('SIGKILL'));
    await proc.ready();
    return { proc, root };
}
/** Writes `files` files of `fileBytes` random bytes (random, so no two tests share blobs). */
export async function writeRandomTree(dir, files, fileBytes) {
    for (let i = 0; i < files; i++) {
        await mkdir(join(dir, `d${i % 4}`), { recursive: true });
        await writeFile(join(dir, `d${i % 4}`, `f${i}.bin`), randomBytes(fileBytes));
    }
}
/** Publishes `dir` with the publish CLI, run in this process (creating the app for every node); returns the new seq. */
export async function publish(server, app, dir) {
    const result = await runCliInProcess(['publish', dir, '--server', server, '--app', app, '--create', '--selector', '']);
    if (result.code !== 0)
        throw new Error(`publish failed (${result.code}): ${result.stderr}`);
    return Number(/\d+/.exec(result.stdout)?.[0]);
}
export async function heldSeq(root, app) {
    try {
        return JSON.parse(await readFile(join(root, 'apps', app, 'state.json'), 'utf8')).seq;
    }
    catch {
        return 0;
    }
}
export { waitFor };
/** One unlabelled sample from the server's `/metrics`. */
export async function serverMetric(url, name) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
    if (!line)
        throw new Error(`metric ${name} is not exposed`);
    return Number(line.slice(name.length + 1));
}
/** Takes a slot and renews it (`PUT`) every few seconds until released, so its ttl never passes. */
export async function holdSlot(url, node, app) {
    const response = await fetch(`${url}/v1/pull-slots?wait=5`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ node, app, bytes: 0, cold: false }) });
    if (response.status !== 200)
        throw new Error(`POST /v1/pull-slots: ${response.status} ${await response.text()}`);
    const { slot } = (await response.json());
    const renewer = setInterval(() => void fetch(`${url}/v1/pull-slots/${slot}`, { method: 'PUT' }).catch(() => { }), 3_000);
    renewer.unref();
    return {
        slot,
        release: async () => {
            clearInterval(renewer);
            const done = await fetch(`${url}/v1/pull-slots/${slot}`, { method: 'DELETE' });
            if (done.status !== 204)
                throw new Error(`DELETE slot: ${done.status}`);
        },
    };
}
/** Holds `count` slots at once (see holdSlot). */
export function holdSlots(url, count, app) {
    return Promise.all(Array.from({ length: count }, (_, i) => holdSlot(url, `holder-${i}`, app)));
}
/** Nodes in the order of the server's log lines with `msg`, each node once (its first line). */
export function nodesInLogOrder(logs, msg, from = 0) {
    const seen = new Set();
    for (const line of logs.slice(from)) {
        if (line.msg === msg && typeof line.node === 'string')
            seen.add(line.node);
    }
    return [...seen];
}
/**
 * Waits until each of `nodes` has asked for a slot and been told to wait (its `pull slot queued`
 * line since log line `from`). Not the waiting gauge: a long-poll ends every 30 s and its node
 * asks again a second later, so with agents that joined over more than 30 s (a loaded machine
 * starts them slowly) the gauge may never show all of them at the same instant. A start's limit,
 * not a step's: the last agents started in a full suite had not all asked within 120 s once.
 */
export async function waitInLine(logs, nodes, from = 0, logsOf) {
    const missing = () => {
        const queued = new Set(nodesInLogOrder(logs, 'pull slot queued', from));
        return nodes.filter((node) => !queued.has(node));
    };
    // A node that never asks is the question a failure leaves: its own last lines answer it.
    const detail = () => missing().map((node) => `${node}${logsOf ? ` (last lines: ${logsOf(node).slice(-6).map((line) => JSON.stringify(line)).join(' ')})` : ''}`).join('; ');
    await waitFor(`${nodes.length} node(s) in line`, () => missing().length === 0, START_LIMIT_MS, { detail: () => `not queued: ${detail()}` });
}
/** The most blob streams the server's own log says were open at once (debug line per open/close). */
export function peakOpenStreams(logs) {
    return logs.reduce((peak, line) => (line.msg === 'blob stream opened' && typeof line.openStreams === 'number' ? Math.max(peak, line.openStreams) : peak), 0);
}
//# sourceMappingURL=cluster.js.map