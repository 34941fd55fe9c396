import { HttpTransport, jsonBody, LONG_POLL_SLACK_MS } from './http-transport.js';
import { parseJsonAnswer } from './json-answer.js';
import * as publishCalls from './publish-calls.js';
import { RESPONSE_LIMITS } from './response-limits.js';
import { routes } from './routes.js';
export { parseServerUrl } from './http-transport.js';
// The schemas (and TypeBox with them) and the transfer calls load on first use: a publish reads
// none of them, and every CI publish pays for what the client loads.
const schemas = () => import('../api.js');
const transfer = () => import('./transfer-calls.js');
// What a node reads to sync is checked by hand (node-answers.ts): an agent loads no TypeBox.
const nodeAnswers = () => import('./node-answers.js');
/**
 * The one client of the server's API v1 (docs/api.md), for the CLI and the agent alike: a route
 * builder per endpoint, every answer size-bounded and checked against the protocol's schemas before
 * it is returned, every failure a CodesyncError, an AbortSignal and timeouts on every call.
 * The reads are here; the calls that change what the server holds are in publish-calls.ts, the
 * streamed transfers and pull slots in transfer-calls.ts, the request itself in http-transport.ts.
 */
export class ApiClient {
    http;
    constructor(options) {
        this.http = new HttpTransport(options);
    }
    get origin() {
        return this.http.origin;
    }
    /** True when requests cross the network unencrypted: plain http to a host that is not loopback. */
    get plainHttpOffLoopback() {
        return this.http.plainHttpOffLoopback;
    }
    // --- apps -----------------------------------------------------------------------------------
    async listApps(signal) {
        return this.http.json((await schemas()).AppListSchema, routes.apps(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
    }
    /**
     * `GET /v1/apps` with each entry left for the caller to check on its own (the agent refuses one
     * bad app, not the list), and the store it came from.
     */
    async appListing(signal) {
        const { uncheckedListOf } = await nodeAnswers();
        return this.http.answerFromStore(routes.apps(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list, (bytes, what) => uncheckedListOf(parseJsonAnswer(bytes, what), what));
    }
    async getApp(app, signal) {
        return this.http.json((await schemas()).AppInfoSchema, routes.app(app), { method: 'GET', signal, idempotent: true });
    }
    async putApp(app, spec, signal) {
        return this.http.json((await schemas()).AppInfoSchema, routes.app(app), { method: 'PUT', signal, ...jsonBody(spec) });
    }
    /** Deletes the app and its releases (the server keeps its seq, so a new app of that name never reuses one). */
    async deleteApp(app, signal) {
        await this.http.discard(routes.app(app), { method: 'DELETE', signal });
    }
    /** The rollout view; with `rollout`, also how far release `seq` has come, held up to `waitSeconds` until settled. */
    async appStatus(app, signal, rollout) {
        const call = { method: 'GET', signal, idempotent: true, ...(rollout ? { headersTimeout: rollout.waitSeconds * 1000 + LONG_POLL_SLACK_MS } : {}) };
        return (await this.http.json((await schemas()).AppStatusSchema, routes.status(app, rollout), call, RESPONSE_LIMITS.list));
    }
    // --- releases -------------------------------------------------------------------------------
    async listReleases(app, signal) {
        return this.http.json((await schemas()).ReleaseListSchema, routes.releases(app), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
    }
    /**
     * A release's full manifest and its store; its entries, each checked alone and kept as a
     * canonical line (manifest-answer.ts), still have to pass the manifest rules as a tree.
     */
    async manifest(app, seq, signal) {
        const { parseManifestAnswer } = await import('./manifest-answer.js');
        return this.http.answerFromStore(routes.manifest(app, seq), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.manifest, parseManifestAnswer);
    }
    /** What turns release `base` into `seq`, and its store; its lists still have to pass validation with the base. */
    async manifestDelta(app, seq, base, signal) {
        const { releaseDeltaOf } = await nodeAnswers();
        return this.http.answerFromStore(routes.manifest(app, seq, base), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.manifest, (bytes, what) => releaseDeltaOf(parseJsonAnswer(bytes, what), what));
    }
    // --- publishing (publish-calls.ts) ----------------------------------------------------------
    /** POSTs a manifest; 409 BLOBS_MISSING becomes `{missing}`, not an error. With `create`, a missing app is created with that spec. */
    async publishManifest(app, manifest, signal, create) {
        return publishCalls.publishManifestJson(this.http, app, JSON.stringify(manifest), signal, create);
    }
    /** publishManifest with the JSON already encoded: a big manifest posted twice is encoded once. */
    async publishManifestJson(app, body, signal, create) {
        return publishCalls.publishManifestJson(this.http, app, body, signal, create);
    }
    async rollback(app, toSeq, signal) {
        return publishCalls.rollback(this.http, app, toSeq, signal);
    }
    /** Asks the server to import `source` (rsync://...) as a release of `app`. */
    async importTree(app, source, meta, signal) {
        return publishCalls.importTree(this.http, app, source, meta, signal);
    }
    /** Uploads one blob; the server verifies `sha256` before keeping it. */
    async putBlob(sha256, body, size, signal) {
        return publishCalls.putBlob(this.http, sha256, body, size, signal);
    }
    /** Whether the server holds blob `sha256`; `headersTimeout` (ms) bounds the wait for its answer. */
    async hasBlob(sha256, signal, headersTimeout) {
        return publishCalls.hasBlob(this.http, sha256, signal, headersTimeout);
    }
    /** Uploads many blobs as one tar stream whose entries are named by their sha256. */
    async postBlobs(tar, signal) {
        return publishCalls.postBlobs(this.http, tar, signal);
    }
    // --- transfers and pull slots (transfer-calls.ts) -------------------------------------------
    /** One blob's bytes, streamed; `slot` when the server meters pulls. */
    async blob(sha256, options) {
        return (await transfer()).blob(this.http, sha256, options);
    }
    /** The release pack over `base` (a tar of blobs named by sha256), streamed. */
    async pack(app, seq, base, options) {
        return (await transfer()).pack(this.http, app, seq, base, options);
    }
    /** A tar of the named blobs, streamed (`POST /v1/blobs:fetch`). */
    async fetchBlobs(sha256s, options) {
        return (await transfer()).fetchBlobs(this.http, sha256s, options);
    }
    /** The event stream (SSE), resumed after `lastEventId` when given; read until it ends. */
    async events(options) {
        return (await transfer()).events(this.http, options);
    }
    /** Long-polls for a pull slot up to `waitSeconds`. */
    async requestPullSlot(request, waitSeconds, signal) {
        return (await transfer()).requestPullSlot(this.http, request, waitSeconds, signal);
    }
    /** Renews a granted slot; false when the server no longer knows it (expired). */
    async renewPullSlot(slot, signal) {
        return (await transfer()).renewPullSlot(this.http, slot, signal);
    }
    async releasePullSlot(slot, signal) {
        return (await transfer()).releasePullSlot(this.http, slot, signal);
    }
    // --- nodes ----------------------------------------------------------------------------------
    /** Every node the server has a report from. */
    async listNodes(signal) {
        return this.http.json((await schemas()).NodeListSchema, routes.nodes(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
    }
    /** Forgets a node until it reports again. */
    async deleteNode(node, signal) {
        await this.http.discard(routes.node(node), { method: 'DELETE', signal });
    }
    /** `PUT /v1/nodes/{node}`: what this node runs. */
    async reportNode(node, report, signal) {
        await this.http.discard(routes.node(node), { method: 'PUT', signal, ...jsonBody(report) });
    }
    async close() {
        await this.http.close();
    }
}
//# sourceMappingURL=api-client.js.map