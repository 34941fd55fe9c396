import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import tar from 'tar-stream';
import { diffManifests } from '../../protocol/delta.js';
import { manifestDigest } from '../../protocol/digest.js';
/**
 * A hostile release server for agent tests: speaks the v1 routes the agent calls (`GET /v1/apps`,
 * `/v1/events`, manifests and deltas, blobs, `blobs:fetch`, packs, pull slots, node reports)
 * honestly for releases added with `publish`, while a test swaps in lies per route with
 * `override`. The agent under test is real; only the server is made up, because a real server
 * refuses to send what these tests need the agent to refuse.
 */
export class HostileServer {
    apps = new Map();
    blobs = new Map();
    /** Bodies of `PUT /v1/nodes/{node}`, newest last. */
    reports = [];
    /** Extra entries appended to `GET /v1/apps` as they are (hostile names, bad seqs). */
    extraListing = [];
    /** Sent as `x-codesync-store-id` on every response when set. */
    storeId;
    overrides = [];
    streams = new Set();
    eventId = 0;
    server;
    url = '';
    async start(t) {
        this.server = createServer((req, res) => void this.handle(req, res));
        this.server.listen(0, '127.0.0.1');
        await once(this.server, 'listening');
        this.url = `http://127.0.0.1:${this.server.address().port}`;
        t.teardown(() => this.close());
        return this;
    }
    async close() {
        for (const stream of this.streams)
            stream.destroy();
        this.server?.closeAllConnections();
        await new Promise((resolve) => this.server?.close(resolve));
    }
    /** Adds a release of `app` honestly (blobs stored, event sent); returns its seq. */
    publish(app, tree) {
        let state = this.apps.get(app);
        if (!state)
            this.apps.set(app, (state = { releases: new Map(), latest: 0, digests: new Map() }));
        const seq = state.latest + 1;
        state.releases.set(seq, this.entriesOf(tree));
        state.latest = seq;
        this.announce(app, seq);
        return seq;
    }
    /** Adds a release whose manifest is `entries` as given, unchecked; `digest` defaults to theirs. */
    publishEntries(app, entries, digest) {
        const state = this.apps.get(app);
        const seq = state.latest + 1;
        state.releases.set(seq, entries);
        if (digest)
            state.digests.set(seq, digest);
        state.latest = seq;
        this.announce(app, seq);
        return seq;
    }
    /** Routes matching `route` (against `METHOD path?query`) answer through `handler` first. */
    override(route, handler) {
        this.overrides.push({ route, handler });
    }
    /** Sends a `release` event for `app` seq to every open event stream. */
    announce(app, seq) {
        const state = this.apps.get(app);
        const entries = state?.releases.get(seq) ?? [];
        this.sendEvent('release', { app, seq, digest: this.digestOf(app, seq, entries), createdAt: new Date().toISOString() });
    }
    sendEvent(event, data) {
        this.sendRaw(`id: ${++this.eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    }
    /** Writes raw bytes to every open event stream. */
    sendRaw(text) {
        for (const stream of this.streams)
            stream.write(text);
    }
    /** Cuts every open event stream (the agent reconnects). */
    dropStreams() {
        for (const stream of this.streams)
            stream.destroy();
    }
    /** Open event streams right now. */
    get streamCount() {
        return this.streams.size;
    }
    entriesOf(tree) {
        const entries = [];
        for (const [path, spec] of Object.entries(tree)) {
            if (typeof spec === 'string' || Buffer.isBuffer(spec)) {
                const data = Buffer.from(spec);
                const sha256 = createHash('sha256').update(data).digest('hex');
                this.blobs.set(sha256, data);
                entries.push({ path, type: 'file', mode: 0o644, size: data.length, sha256 });
            }
            else if ('symlink' in spec)
                entries.push({ path, type: 'symlink', mode: 0o777, target: spec.symlink });
            else
                entries.push({ path, type: 'dir', mode: spec.dir });
        }
        return entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    }
    digestOf(app, seq, entries) {
        return this.apps.get(app)?.digests.get(seq) ?? manifestDigest(entries);
    }
    async handle(req, res) {
        try {
            if (this.storeId)
                res.setHeader('x-codesync-store-id', this.storeId);
            const url = new URL(req.url ?? '/', this.url);
            const key = `${req.method} ${url.pathname}${url.search}`;
            for (const { route, handler } of this.overrides)
                if (route.test(key) && (await handler(req, res)))
                    return;
            await this.honest(req, res, url);
        }
        catch (err) {
            if (!res.headersSent)
                json(res, 500, { error: { code: 'INTERNAL', message: err.message } });
            else
                res.destroy();
        }
    }
    async honest(req, res, url) {
        const path = url.pathname;
        let match;
        if (req.method === 'GET' && path === '/v1/apps')
            return json(res, 200, [...[...this.apps.keys()].map((app) => this.appInfo(app)), ...this.extraListing]);
        if (req.method === 'GET' && path === '/v1/events') {
            res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
            res.write(': hello\n\n');
            this.streams.add(res);
            res.on('close', () => this.streams.delete(res));
            return;
        }
        if ((match = /^\/v1\/apps\/([^/]+)$/.exec(path)) && req.method === 'GET')
            return json(res, 200, this.appInfo(decodeURIComponent(match[1])));
        if ((match = /^\/v1\/apps\/([^/]+)\/releases\/(\d+)\/manifest$/.exec(path))) {
            const app = decodeURIComponent(match[1]);
            const seq = Number(match[2]);
            const entries = this.apps.get(app)?.releases.get(seq);
            if (!entries)
                return json(res, 404, { error: { code: 'RELEASE_NOT_FOUND', message: `no release ${seq}` } });
            const digest = this.digestOf(app, seq, entries);
            const baseParam = url.searchParams.get('base');
            if (baseParam === null)
                return json(res, 200, { app, seq, digest, createdAt: new Date().toISOString(), meta: {}, files: entries.length, bytes: 0, entries });
            const base = this.apps.get(app)?.releases.get(Number(baseParam));
            if (!base)
                return json(res, 404, { error: { code: 'RELEASE_NOT_FOUND', message: `no release ${baseParam}` } });
            return json(res, 200, { app, seq, base: Number(baseParam), digest, ...diffManifests(base, entries) });
        }
        if ((match = /^\/v1\/blobs\/([0-9a-f]{64})$/.exec(path))) {
            const blob = this.blobs.get(match[1]);
            if (!blob)
                return json(res, 404, { error: { code: 'BLOB_NOT_FOUND', message: 'no such blob' } });
            res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
            res.end(blob);
            return;
        }
        if (req.method === 'POST' && path === '/v1/blobs:fetch') {
            const body = JSON.parse(await readBody(req));
            return this.sendTar(res, body.sha256);
        }
        if ((match = /^\/v1\/apps\/([^/]+)\/releases\/(\d+)\/pack$/.exec(path))) {
            const entries = this.apps.get(decodeURIComponent(match[1]))?.releases.get(Number(match[2])) ?? [];
            return this.sendTar(res, [...new Set(entries.flatMap((entry) => (entry.type === 'file' ? [entry.sha256] : [])))]);
        }
        if (path.startsWith('/v1/pull-slots'))
            return json(res, 404, { error: { code: 'NOT_FOUND', message: 'pulls are not metered' } });
        if (req.method === 'PUT' && path.startsWith('/v1/nodes/')) {
            this.reports.push(JSON.parse(await readBody(req)));
            return json(res, 200, {});
        }
        json(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${path}` } });
    }
    appInfo(app) {
        const state = this.apps.get(app);
        const latest = state?.latest ? { app, seq: state.latest, digest: this.digestOf(app, state.latest, state.releases.get(state.latest)), createdAt: new Date().toISOString(), meta: {}, files: 0, bytes: 0 } : null;
        return { name: app, nodeSelector: '', keepReleases: 3, createdAt: new Date().toISOString(), latest };
    }
    sendTar(res, hashes) {
        const pack = tar.pack();
        res.writeHead(200, { 'content-type': 'application/x-tar' });
        // The agent may hang up mid-pack (refusing what it reads): streamx then destroys the pack
        // with PREMATURE_CLOSE, which is the agent's right, not a failure of the test.
        pack.on('error', () => { });
        pack.pipe(res);
        for (const sha256 of hashes) {
            const blob = this.blobs.get(sha256);
            if (blob)
                pack.entry({ name: sha256, size: blob.length, mode: 0o644 }, blob);
        }
        pack.finalize();
    }
}
export function json(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return true;
}
async function readBody(req) {
    const chunks = [];
    for await (const chunk of req)
        chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}
//# sourceMappingURL=hostile-server.js.map