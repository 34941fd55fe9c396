/**
 * A FAKE Kubernetes API server for tests: no real one can run here. It speaks the wire protocol of
 * the core/v1 Node, Pod and Event resources as the official API reference describes it
 * (https://kubernetes.io/docs/reference/kubernetes-api/ and "API Concepts",
 * https://kubernetes.io/docs/reference/using-api/api-concepts/): JSON objects and lists with
 * `metadata.resourceVersion`; `?watch=true` (or `1`) answers a newline-delimited stream of
 * `{"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": …}` starting after the given
 * resourceVersion; `allowWatchBookmarks` gets BOOKMARK events; `timeoutSeconds` ends a watch; a
 * resourceVersion older than the retained history gets an ERROR event carrying a 410 `Status`
 * ("too old resource version") that forces a relist; `fieldSelector` (metadata.name,
 * metadata.namespace, spec.nodeName; `=`, `==`, `!=`) and `labelSelector`; a Node PATCH as JSON
 * merge patch, strategic merge patch (the same thing for labels) or JSON patch; Event create and
 * patch. Requests need the bearer token of the generated kubeconfig. It is not a conformance-
 * tested server: only what the codesync agent calls is here, and it is shaped on the reference,
 * not on a real cluster's capture.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseSelector } from '../../protocol/selector.js';
const PLURAL = { nodes: 'Node', pods: 'Pod', events: 'Event' };
export class FakeKubeApi {
    options;
    objects = new Map();
    history = [];
    /** Changes at or below this resourceVersion are forgotten (compacted): watching from there is 410. */
    compactedRv = 0;
    rv = 100;
    watches = new Set();
    sockets = new Set();
    server;
    port = 0;
    token = `fake-${randomUUID()}`;
    requests = [];
    constructor(options = {}) {
        this.options = options;
    }
    get url() {
        return `http://127.0.0.1:${this.port}`;
    }
    /** Listens (again, on the same port after `stop`). */
    async start() {
        const server = createServer((req, res) => {
            this.handle(req, res).catch((err) => this.status(res, 500, 'InternalError', err.message));
        });
        server.on('connection', (socket) => {
            this.sockets.add(socket);
            socket.on('close', () => this.sockets.delete(socket));
        });
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.port, '127.0.0.1', () => resolve());
        });
        this.port = server.address().port;
        this.server = server;
    }
    /** The API server goes away: connections are cut and nothing listens until `start()`. */
    async stop() {
        const server = this.server;
        this.server = undefined;
        this.dropWatches();
        for (const socket of this.sockets)
            socket.destroy();
        if (server)
            await new Promise((resolve) => server.close(() => resolve()));
    }
    /**
     * A kubeconfig for this server (token user), as `kubectl config view --raw` would write it. The
     * fake speaks plain HTTP, which @kubernetes/client-node accepts only with
     * `insecure-skip-tls-verify` (a real API server is HTTPS with its CA in the kubeconfig).
     */
    async writeKubeconfig(dir) {
        const file = join(dir, 'kubeconfig');
        const config = {
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
            users: [{ name: 'agent', user: { token: this.token } }],
            contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'agent', namespace: 'codesync' } }],
            'current-context': 'fake',
        };
        await writeFile(file, JSON.stringify(config));
        return file;
    }
    addNode(name, labels = {}) {
        return this.put('Node', { metadata: { name, labels }, spec: {}, status: {} });
    }
    addPod(namespace, name, spec) {
        return this.put('Pod', {
            metadata: { name, namespace, annotations: spec.annotations ?? {} },
            spec: { nodeName: spec.nodeName, containers: [{ name: 'app', image: 'php:8.3-fpm' }] },
            status: { phase: spec.phase ?? 'Running', ...(spec.podIP ? { podIP: spec.podIP, podIPs: [{ ip: spec.podIP }] } : {}) },
        });
    }
    /** Sets (string) or removes (null) labels of a Node, as `kubectl label` would. */
    labelNode(name, labels) {
        const node = this.get('Node', name);
        if (!node)
            throw new Error(`no node ${name}`);
        return this.put('Node', { ...node, metadata: { ...node.metadata, labels: mergeLabels(node.metadata.labels, labels) } });
    }
    get(kind, name, namespace = '') {
        return this.objects.get(key(kind, namespace, name));
    }
    list(kind) {
        return [...this.objects.entries()].filter(([k]) => k.startsWith(`${kind}/`)).map(([, object]) => object);
    }
    /** Cuts every open watch connection without a word (a load balancer timing out, say). */
    dropWatches() {
        for (const watch of this.watches)
            this.endWatch(watch, true);
    }
    /**
     * Forgets the change history (etcd compaction): every open watch gets an ERROR event with a 410
     * Status and ends, and a watch resumed from an older resourceVersion gets the same.
     */
    compact() {
        this.compactedRv = this.rv;
        this.history = [];
        for (const watch of this.watches) {
            this.send(watch.res, { type: 'ERROR', object: goneStatus() });
            this.endWatch(watch, false);
        }
    }
    /** Requests matching method and path prefix, for asserting on what the agent called. */
    calls(method, pathPrefix) {
        return this.requests.filter((request) => request.method === method && request.path.startsWith(pathPrefix));
    }
    put(kind, object) {
        const k = key(kind, object.metadata.namespace ?? '', object.metadata.name);
        const existing = this.objects.get(k);
        const stored = {
            ...object,
            metadata: { ...object.metadata, uid: existing?.metadata.uid ?? object.metadata.uid ?? randomUUID(), resourceVersion: String(++this.rv), creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString() },
        };
        this.objects.set(k, stored);
        this.changed({ kind, type: existing ? 'MODIFIED' : 'ADDED', object: stored, rv: this.rv });
        return stored;
    }
    changed(change) {
        this.history.push(change);
        for (const watch of this.watches) {
            if (watch.kind === change.kind && watch.matches(change.object))
                this.send(watch.res, { type: change.type, object: withKind(change.kind, change.object) });
        }
    }
    async handle(req, res) {
        const url = new URL(req.url ?? '/', 'http://fake');
        const body = await readBody(req);
        const record = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'] };
        if (body)
            record.body = JSON.parse(body);
        this.requests.push(record);
        if (req.headers.authorization !== `Bearer ${this.token}`)
            return this.status(res, 401, 'Unauthorized', 'Unauthorized');
        // /api/v1/{plural}, /api/v1/{plural}/{name}, /api/v1/namespaces/{ns}/{plural}[/{name}]
        const parts = url.pathname.split('/').filter(Boolean);
        if (parts[0] !== 'api' || parts[1] !== 'v1')
            return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
        let namespace = '';
        let rest = parts.slice(2);
        if (rest[0] === 'namespaces' && rest.length >= 3) {
            namespace = rest[1];
            rest = rest.slice(2);
        }
        const kind = PLURAL[rest[0] ?? ''];
        const name = rest[1];
        if (!kind || rest.length > 2)
            return this.status(res, 404, 'NotFound', 'the server could not find the requested resource');
        const method = req.method ?? 'GET';
        if (method === 'GET' && !name) {
            const matches = selectorMatcher(url.searchParams, namespace);
            if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1')
                return this.watch(kind, matches, url.searchParams, res);
            const items = this.list(kind).filter(matches);
            return this.json(res, 200, { apiVersion: 'v1', kind: `${kind}List`, metadata: { resourceVersion: String(this.rv) }, items });
        }
        if (method === 'GET' && name) {
            const object = this.get(kind, name, namespace);
            return object ? this.json(res, 200, withKind(kind, object)) : this.status(res, 404, 'NotFound', `${rest[0]} "${name}" not found`);
        }
        if (method === 'POST' && !name && kind === 'Event') {
            const event = record.body;
            if (!event?.metadata?.name)
                return this.status(res, 422, 'Invalid', 'metadata.name: Required value');
            if (this.get(kind, event.metadata.name, namespace))
                return this.status(res, 409, 'AlreadyExists', `events "${event.metadata.name}" already exists`);
            return this.json(res, 201, withKind(kind, this.put(kind, { ...event, metadata: { ...event.metadata, namespace } })));
        }
        if (method === 'PATCH' && name) {
            const object = this.get(kind, name, namespace);
            if (!object)
                return this.status(res, 404, 'NotFound', `${rest[0]} "${name}" not found`);
            const patched = applyPatch(object, record.body, record.contentType ?? '');
            if (typeof patched === 'string')
                return this.status(res, 415, 'UnsupportedMediaType', patched);
            return this.json(res, 200, withKind(kind, this.put(kind, patched)));
        }
        return this.status(res, 405, 'MethodNotAllowed', `${method} is not supported by this fake`);
    }
    watch(kind, matches, query, res) {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        const from = Number(query.get('resourceVersion') || this.rv);
        if (from < this.compactedRv) {
            this.send(res, { type: 'ERROR', object: goneStatus() });
            res.end();
            return;
        }
        const watch = { kind, matches, res, timers: [] };
        this.watches.add(watch);
        res.on('close', () => this.endWatch(watch, false));
        for (const change of this.history) {
            if (change.rv > from && change.kind === kind && matches(change.object))
                this.send(res, { type: change.type, object: withKind(kind, change.object) });
        }
        const timeoutSeconds = Number(query.get('timeoutSeconds') || 0);
        if (timeoutSeconds > 0)
            watch.timers.push(setTimeout(() => this.endWatch(watch, false), timeoutSeconds * 1000));
        if (query.get('allowWatchBookmarks') === 'true') {
            const bookmark = () => this.send(res, { type: 'BOOKMARK', object: { kind, apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) } } });
            watch.timers.push(setInterval(bookmark, this.options.bookmarkMs ?? 1000));
        }
    }
    endWatch(watch, abruptly) {
        if (!this.watches.delete(watch))
            return;
        for (const timer of watch.timers)
            clearTimeout(timer);
        if (abruptly)
            watch.res.socket?.destroy();
        else
            watch.res.end();
    }
    send(res, event) {
        if (!res.writableEnded)
            res.write(`${JSON.stringify(event)}\n`);
    }
    json(res, status, body) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
    }
    status(res, code, reason, message) {
        this.json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    }
}
function key(kind, namespace, name) {
    return `${kind}/${namespace}/${name}`;
}
function withKind(kind, object) {
    return { apiVersion: 'v1', kind, ...object };
}
function goneStatus() {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version', reason: 'Expired', code: 410 };
}
function mergeLabels(labels, patch) {
    const next = { ...labels };
    for (const [k, v] of Object.entries(patch)) {
        if (v === null)
            delete next[k];
        else
            next[k] = v;
    }
    return next;
}
/** `metadata.name=x,spec.nodeName!=y` and a label selector, plus the namespace of the path. */
function selectorMatcher(query, namespace) {
    const fields = (query.get('fieldSelector') ?? '')
        .split(',')
        .filter(Boolean)
        .map((term) => {
        const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
        if (!match)
            throw new Error(`bad field selector ${term}`);
        return { path: match[1], negate: match[2] === '!=', value: match[3] };
    });
    const labels = parseSelector(query.get('labelSelector') ?? '');
    return (object) => {
        if (namespace && object.metadata.namespace !== namespace)
            return false;
        for (const field of fields) {
            const actual = String(field.path.split('.').reduce((at, part) => at?.[part], object) ?? '');
            if ((actual === field.value) === field.negate)
                return false;
        }
        return labels.matches(object.metadata.labels ?? {});
    };
}
/** JSON merge patch (RFC 7386), strategic merge patch (maps merge alike) or JSON patch (RFC 6902) on labels. */
function applyPatch(object, patch, contentType) {
    if (contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json'))
        return mergePatch(object, patch);
    if (contentType.startsWith('application/json-patch+json')) {
        let result = structuredClone(object);
        for (const op of patch) {
            const path = op.path.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
            const last = path.pop();
            const parent = path.reduce((at, part) => (at[part] ??= {}), result);
            if (op.op === 'add' || op.op === 'replace')
                parent[last] = op.value;
            else if (op.op === 'remove')
                delete parent[last];
            else
                return `JSON patch op ${op.op} is not supported by this fake`;
        }
        result = { ...result };
        return result;
    }
    return `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`;
}
function mergePatch(target, patch) {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
        return patch;
    const result = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
        if (v === null)
            delete result[k];
        else
            result[k] = mergePatch(result[k], v);
    }
    return result;
}
async function readBody(req) {
    const chunks = [];
    for await (const chunk of req)
        chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}
//# sourceMappingURL=fake-kube-api.js.map