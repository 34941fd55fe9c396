import { createHash } from 'node:crypto';
import { once } from 'node:events';
import tar from 'tar-stream';
import { lstat, mkdir, readFile, readdir, readlink } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodesyncProcess } from '../helpers/codesync-process.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { waitFor, WAIT_LIMIT_MS } from '../helpers/wait-for.js';
/** A fresh directory removed after the test (outside tap's testdir, so paths stay short). */
export function tempDir(t, prefix = 'codesync-agent-') {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
}
export async function startServer(t, args = []) {
    const data = tempDir(t, 'codesync-server-');
    const proc = new CodesyncProcess(['server', '--data', data, '--listen', '127.0.0.1:0', ...args], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => proc.stop('SIGKILL'));
    return { proc, url: await proc.ready(), data };
}
export async function startAgent(t, server, options = {}) {
    const root = options.root ?? tempDir(t, 'codesync-root-');
    const args = ['agent', '--server', server, '--root', root, '--listen', '127.0.0.1:0', '--no-socket', '--node', options.node ?? 'node-a'];
    if (options.labels !== undefined)
        args.push('--labels', options.labels);
    const proc = new CodesyncProcess([...args, ...(options.args ?? [])], { env: { CODESYNC_LOG_LEVEL: 'info' } });
    t.teardown(() => proc.stop('SIGKILL'));
    return { proc, url: await proc.ready(), root };
}
/**
 * Publishes a directory with the publish CLI (run in this process); returns the new seq. A new app is created for every
 * node (`putApp` first to give it a selector).
 */
export async function publish(server, app, dir) {
    const result = await runCliInProcess(['publish', dir, '--server', server, '--app', app, '--create', '--selector', '']);
    if (result.code !== 0)
        throw new Error(`publish failed (${result.code}): ${result.stderr}`);
    return Number(result.stdout.trim().split(/\s+/)[0]);
}
/** Publishes files given in memory as a tar body (the server hashes them, the app is created if new); returns the new seq. */
export async function publishFiles(server, app, files) {
    const pack = tar.pack();
    const chunks = [];
    pack.on('data', (chunk) => chunks.push(chunk));
    const ended = once(pack, 'end');
    for (const [name, content] of Object.entries(files))
        pack.entry({ name, mode: 0o644, type: 'file' }, content);
    pack.finalize();
    await ended;
    const response = await fetch(`${server}/v1/apps/${app}/releases?create=1`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: Buffer.concat(chunks) });
    if (response.status !== 201 && response.status !== 200)
        throw new Error(`tar publish failed: ${response.status} ${await response.text()}`);
    return (await response.json()).seq;
}
export async function putApp(server, app, spec) {
    const response = await fetch(`${server}/v1/apps/${app}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
    if (!response.ok)
        throw new Error(`PUT app failed: ${response.status} ${await response.text()}`);
}
/** The seq `apps/<app>/state.json` records, or 0. */
export async function heldSeq(root, app) {
    try {
        return JSON.parse(await readFile(join(root, 'apps', app, 'state.json'), 'utf8')).seq;
    }
    catch {
        return 0;
    }
}
export { waitFor };
/**
 * Waits until the agent under `where` (its root, or the agent itself) holds `seq` of `app`. Given
 * the agent, a timeout shows its last 30 log lines: the step its sync was in.
 */
export function waitForSeq(where, app, seq, timeoutMs = WAIT_LIMIT_MS) {
    const root = typeof where === 'string' ? where : where.root;
    const detail = typeof where === 'string' ? undefined : () => where.proc.logs.slice(-30).map((line) => JSON.stringify(line)).join('\n');
    return waitFor(`${app} seq ${seq} under ${root}`, async () => (await heldSeq(root, app)) >= seq, timeoutMs, { detail });
}
/** One value of a metric from an agent's /metrics, 0 when absent. */
export async function metric(url, name, labels = {}) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const want = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    let total = 0;
    for (const line of text.split('\n')) {
        if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `))
            continue;
        if (want.every((pair) => line.includes(pair)))
            total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
}
/** Every path of a tree with type, permission bits and content hash (or link target): for equality. */
export async function snapshot(dir) {
    const result = {};
    const walk = async (rel) => {
        for (const name of (await readdir(join(dir, rel))).sort()) {
            const path = rel ? `${rel}/${name}` : name;
            const full = join(dir, path);
            const stats = await lstat(full);
            const mode = (stats.mode & 0o777).toString(8);
            if (stats.isSymbolicLink())
                result[path] = `symlink ${await readlink(full)}`;
            else if (stats.isDirectory()) {
                result[path] = `dir ${mode}`;
                await walk(path);
            }
            else
                result[path] = `file ${mode} ${createHash('sha256').update(await readFile(full)).digest('hex')}`;
        }
    };
    await walk('');
    return result;
}
/** What `snapshot` of a correct tree of release `seq` returns, from the server's manifest. */
export async function manifestSnapshot(server, app, seq) {
    const body = (await (await fetch(`${server}/v1/apps/${app}/releases/${seq}/manifest`)).json());
    const result = {};
    for (const entry of body.entries) {
        const parts = entry.path.split('/');
        for (let i = 1; i < parts.length; i++)
            result[parts.slice(0, i).join('/')] ??= 'dir 755';
        if (entry.type === 'file')
            result[entry.path] = `file ${entry.mode.toString(8)} ${entry.sha256}`;
        else if (entry.type === 'dir')
            result[entry.path] = `dir ${entry.mode.toString(8)}`;
        else
            result[entry.path] = `symlink ${entry.target}`;
    }
    return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
/** Writes `count` small files spread over directories. */
export async function writeTree(dir, count, content = (i) => `file ${i}\n`) {
    const { writeFile } = await import('node:fs/promises');
    for (let i = 0; i < count; i++) {
        const sub = join(dir, `d${i % 20}`, `e${i % 7}`);
        await mkdir(sub, { recursive: true });
        await writeFile(join(sub, `f${i}.txt`), content(i));
    }
}
//# sourceMappingURL=fixtures.js.map