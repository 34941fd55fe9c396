import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import tar, {} from 'tar-stream';
import { CodesyncProcess } from '../helpers/codesync-process.js';
/**
 * A scratch store directory, removed at teardown with retries: a killed server's last
 * best-effort writes may still land while it is being removed.
 */
export function tempDir(t) {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-server-test-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));
    return dir;
}
/** Starts a real server on a free loopback port, pull metering off (tested in test/throttle); stopped at teardown. */
export async function startServer(t, dataDir, args = [], options = {}) {
    const proc = new CodesyncProcess(['server', '--data', dataDir, '--listen', '127.0.0.1:0', '--max-concurrent-pulls', '0', ...args], { env: { CODESYNC_LOG_LEVEL: options.logLevel ?? 'info' } });
    t.teardown(() => proc.stop('SIGKILL'));
    // Generous: a server starts in well under a second, but a test box shared by many may stall it.
    const url = await proc.ready();
    return { proc, url, dataDir };
}
export function sha256(data) {
    return createHash('sha256').update(data).digest('hex');
}
/** The manifest entries a tree should publish as (sorted by path bytes). */
export function manifestOf(tree) {
    return tree
        .map((entry) => {
        if (entry.type === 'file')
            return { path: entry.path, type: 'file', mode: entry.mode, size: entry.data.length, sha256: sha256(entry.data) };
        if (entry.type === 'dir')
            return { path: entry.path, type: 'dir', mode: entry.mode };
        return { path: entry.path, type: 'symlink', mode: 0o777, target: entry.target };
    })
        .sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
/** A tar of the tree; `extra` adds raw headers (devices, hardlinks...) for refusal tests. */
export async function tarOf(tree, extra = []) {
    const pack = tar.pack();
    for (const entry of tree) {
        if (entry.type === 'file')
            pack.entry({ name: entry.path, mode: entry.mode, size: entry.data.length }, entry.data);
        else if (entry.type === 'dir')
            pack.entry({ name: `${entry.path}/`, type: 'directory', mode: entry.mode });
        else
            pack.entry({ name: entry.path, type: 'symlink', linkname: entry.target, mode: 0o777 });
    }
    for (const header of extra)
        pack.entry(header);
    pack.finalize();
    return collect(pack);
}
/** A tar of blobs named by their sha256 (POST /v1/blobs). */
export async function blobTarOf(blobs) {
    const pack = tar.pack();
    for (const data of blobs)
        pack.entry({ name: sha256(data), size: data.length }, data);
    pack.finalize();
    return collect(pack);
}
/** The files of a tar as name → bytes, in order, with their headers. */
export async function untar(data) {
    const extract = tar.extract();
    const out = [];
    const done = (async () => {
        for await (const entry of extract) {
            out.push({ name: entry.header.name, header: entry.header, data: await collect(entry) });
        }
    })();
    extract.end(data);
    await done;
    return out;
}
async function collect(stream) {
    const chunks = [];
    for await (const chunk of stream)
        chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
}
export async function getJson(url, init = {}) {
    const response = await fetch(url, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) };
}
export function postJson(url, body, headers = {}) {
    return getJson(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
/** Publishes a tree as manifest + blobs (creating the app): 409 first, uploads what is missing, publishes again. */
export async function publishManifest(url, app, tree, meta = {}) {
    const entries = manifestOf(tree);
    // Apps exist on purpose; test trees publish to fresh apps, so this asks to create them (every node).
    const first = await postJson(`${url}/v1/apps/${app}/releases?create=1`, { entries, meta });
    if (first.status !== 409)
        return first;
    const byHash = new Map(tree.flatMap((entry) => (entry.type === 'file' ? [[sha256(entry.data), entry.data]] : [])));
    for (const hash of first.body.missing ?? []) {
        const response = await fetch(`${url}/v1/blobs/${hash}`, { method: 'PUT', body: byHash.get(hash) });
        if (response.status !== 201 && response.status !== 200)
            throw new Error(`PUT blob ${hash}: ${response.status}`);
    }
    return postJson(`${url}/v1/apps/${app}/releases?create=1`, { entries, meta });
}
/** Every file under the store (relative path → size), except scratch that is allowed to differ. */
export async function storeSnapshot(dataDir) {
    const out = {};
    const walk = async (dir) => {
        for (const name of await readdir(dir)) {
            const path = join(dir, name);
            const rel = relative(dataDir, path);
            if (rel === 'tmp' || rel === 'events.jsonl' || rel === 'nodes')
                continue;
            const info = await stat(path);
            if (info.isDirectory())
                await walk(path);
            else
                out[rel] = info.size;
        }
    };
    await walk(dataDir);
    return out;
}
/**
 * Sends a request over a raw socket: `declaredLength` may exceed the body actually sent (the
 * socket is then half-closed), which no fetch client can do. Resolves with status and JSON body.
 */
export async function rawRequest(url, request) {
    const { connect } = await import('node:net');
    const { port, hostname } = new URL(url);
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    const headers = { host: `${hostname}:${port}`, connection: 'close', 'content-length': String(request.declaredLength ?? request.body.length), ...request.headers };
    socket.write(`${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    socket.write(request.body);
    socket.end();
    const chunks = [];
    for await (const chunk of socket)
        chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
    const bodyText = text.slice(text.indexOf('\r\n\r\n') + 4);
    let body = {};
    try {
        body = JSON.parse(bodyText);
    }
    catch {
        // chunked or empty: the status says enough for the caller
    }
    return { status, body };
}
//# sourceMappingURL=harness.js.map