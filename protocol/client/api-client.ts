import type { Readable } from 'node:stream';
import type {
  AppInfo, AppSpec, AppStatus, ImportResponse, ReleaseSummary, NodeReport, NodeSummary, PublishRequest, PullSlotRequest, ReleaseDeltaResponse,
} from '../api.js';
import { HttpTransport, jsonBody, LONG_POLL_SLACK_MS, type ApiClientOptions, type Call, type FromStore, type StreamBody } from './http-transport.js';
import type { ManifestAnswer } from './manifest-answer.js';
import { parseJsonAnswer } from './json-answer.js';
import { latestReleaseOf } from './publish-answers.js';
import * as publishCalls from './publish-calls.js';
import { RESPONSE_LIMITS } from './response-limits.js';
import { routes } from './routes.js';
import type { PullSlotAnswer } from './transfer-calls.js';

export { parseServerUrl } from './http-transport.js';
export type { PullSlotAnswer } from './transfer-calls.js';

/**
 * A module loaded on first use and its promise kept: an `import()` of a module already loaded
 * still runs the loader's job (~10-20 µs of CPU), and an agent's sync makes a few such calls.
 */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

// The schemas (and TypeBox with them) and the transfer calls load on first use: a publish reads
// none of them, and every CI publish pays for what the client loads.
const schemas = onFirstUse(() => import('../api.js'));
const transfer = onFirstUse(() => import('./transfer-calls.js'));
// What a node reads to sync is checked by hand (node-answers.ts): an agent loads no TypeBox.
const nodeAnswers = onFirstUse(() => import('./node-answers.js'));
const manifestAnswer = onFirstUse(() => import('./manifest-answer.js'));

/**
 * The one client of the server's API v1 (docs/api.md), for the CLI and the agent alike: a route
 * builder per endpoint, every answer size-bounded and checked against the protocol's schemas before
 * it is returned, every failure a CodesyncError, an AbortSignal and timeouts on every call.
 * The reads are here; the calls that change what the server holds are in publish-calls.ts, the
 * streamed transfers and pull slots in transfer-calls.ts, the request itself in http-transport.ts.
 */
export class ApiClient {
  private readonly http: HttpTransport;

  constructor(options: ApiClientOptions) {
    this.http = new HttpTransport(options);
  }

  get origin(): string {
    return this.http.origin;
  }

  /** True when requests cross the network unencrypted: plain http to a host that is not loopback. */
  get plainHttpOffLoopback(): boolean {
    return this.http.plainHttpOffLoopback;
  }

  // --- apps -----------------------------------------------------------------------------------

  async listApps(signal: AbortSignal): Promise<AppInfo[]> {
    return this.http.json((await schemas()).AppListSchema, routes.apps(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
  }

  /**
   * `GET /v1/apps` with each entry left for the caller to check on its own (the agent refuses one
   * bad app, not the list), and the store it came from.
   */
  async appListing(signal: AbortSignal): Promise<FromStore<unknown[]>> {
    const { uncheckedListOf } = await nodeAnswers();
    return this.http.answerFromStore(routes.apps(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list, (bytes, what) => uncheckedListOf(parseJsonAnswer(bytes, what), what));
  }

  async getApp(app: string, signal: AbortSignal): Promise<AppInfo> {
    return this.http.json((await schemas()).AppInfoSchema, routes.app(app), { method: 'GET', signal, idempotent: true });
  }

  /** The seq and digest of the app's latest release (null before its first), checked by hand: no schema loads. */
  async latestRelease(app: string, signal: AbortSignal): Promise<{ seq: number; digest: string } | null> {
    const { body } = await this.http.answerFromStore(routes.app(app), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.json, (bytes, what) => latestReleaseOf(parseJsonAnswer(bytes, what), what));
    return body;
  }

  async putApp(app: string, spec: AppSpec, signal: AbortSignal): Promise<AppInfo> {
    return this.http.json((await schemas()).AppInfoSchema, routes.app(app), { method: 'PUT', signal, ...jsonBody(spec) });
  }

  /** Deletes the app and its releases (the server keeps its seq, so a new app of that name never reuses one). */
  async deleteApp(app: string, signal: AbortSignal): Promise<void> {
    await this.http.discard(routes.app(app), { method: 'DELETE', signal });
  }

  /** The rollout view; with `rollout`, also how far release `seq` has come, held up to `waitSeconds` until settled. */
  async appStatus(app: string, signal: AbortSignal, rollout?: { seq?: number | undefined; waitSeconds: number; acks: boolean }): Promise<AppStatus> {
    const call: Call = { method: 'GET', signal, idempotent: true, ...(rollout ? { headersTimeout: rollout.waitSeconds * 1000 + LONG_POLL_SLACK_MS } : {}) };
    return (await this.http.json((await schemas()).AppStatusSchema, routes.status(app, rollout), call, RESPONSE_LIMITS.list)) as AppStatus;
  }

  // --- releases -------------------------------------------------------------------------------

  async listReleases(app: string, signal: AbortSignal): Promise<ReleaseSummary[]> {
    return this.http.json((await schemas()).ReleaseListSchema, routes.releases(app), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
  }

  /**
   * A release's full manifest and its store; its entries, each checked alone and kept as a
   * canonical line (manifest-answer.ts), still have to pass the manifest rules as a tree.
   */
  async manifest(app: string, seq: number, signal: AbortSignal): Promise<FromStore<ManifestAnswer>> {
    const { parseManifestAnswer } = await manifestAnswer();
    return this.http.answerFromStore(routes.manifest(app, seq), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.manifest, parseManifestAnswer);
  }

  /** What turns release `base` into `seq`, and its store; its lists still have to pass validation with the base. */
  async manifestDelta(app: string, seq: number, base: number, signal: AbortSignal): Promise<FromStore<ReleaseDeltaResponse>> {
    const { releaseDeltaOf } = await nodeAnswers();
    return this.http.answerFromStore(routes.manifest(app, seq, base), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.manifest, (bytes, what) => releaseDeltaOf(parseJsonAnswer(bytes, what), what));
  }

  // --- publishing (publish-calls.ts) ----------------------------------------------------------

  /** POSTs a manifest; 409 BLOBS_MISSING becomes `{missing}`, not an error. With `create`, a missing app is created with that spec. */
  async publishManifest(app: string, manifest: PublishRequest, signal: AbortSignal, create?: AppSpec): Promise<publishCalls.ManifestOutcome> {
    return publishCalls.publishManifestJson(this.http, app, JSON.stringify(manifest), signal, create);
  }

  /** publishManifest with the JSON already encoded: a big manifest posted twice is encoded once. */
  async publishManifestJson(app: string, body: string, signal: AbortSignal, create?: AppSpec): Promise<publishCalls.ManifestOutcome> {
    return publishCalls.publishManifestJson(this.http, app, body, signal, create);
  }

  async rollback(app: string, toSeq: number | undefined, signal: AbortSignal) {
    return publishCalls.rollback(this.http, app, toSeq, signal);
  }

  /** Asks the server to import `source` (rsync://...) as a release of `app`. */
  async importTree(app: string, source: string, meta: Record<string, string>, signal: AbortSignal): Promise<ImportResponse> {
    return publishCalls.importTree(this.http, app, source, meta, signal);
  }

  /** Uploads one blob; the server verifies `sha256` before keeping it. */
  async putBlob(sha256: string, body: Readable | Buffer, size: number, signal: AbortSignal): Promise<void> {
    return publishCalls.putBlob(this.http, sha256, body, size, signal);
  }

  /** Whether the server holds blob `sha256`; `headersTimeout` (ms) bounds the wait for its answer. */
  async hasBlob(sha256: string, signal: AbortSignal, headersTimeout?: number): Promise<boolean> {
    return publishCalls.hasBlob(this.http, sha256, signal, headersTimeout);
  }

  /** Uploads many blobs as one tar stream whose entries are named by their sha256. */
  async postBlobs(tar: Readable, signal: AbortSignal): Promise<void> {
    return publishCalls.postBlobs(this.http, tar, signal);
  }

  // --- transfers and pull slots (transfer-calls.ts) -------------------------------------------

  /** One blob's bytes, streamed; `slot` when the server meters pulls. */
  async blob(sha256: string, options: { slot?: string | undefined; signal: AbortSignal }): Promise<StreamBody> {
    return (await transfer()).blob(this.http, sha256, options);
  }

  /** The release pack over `base` (a tar of blobs named by sha256), streamed. */
  async pack(app: string, seq: number, base: number | undefined, options: { slot?: string | undefined; signal: AbortSignal }): Promise<StreamBody> {
    return (await transfer()).pack(this.http, app, seq, base, options);
  }

  /** A tar of the named blobs, streamed (`POST /v1/blobs:fetch`). */
  async fetchBlobs(sha256s: readonly string[], options: { slot?: string | undefined; signal: AbortSignal }): Promise<StreamBody> {
    return (await transfer()).fetchBlobs(this.http, sha256s, options);
  }

  /** The event stream (SSE), resumed after `lastEventId` when given; read until it ends. */
  async events(options: { lastEventId?: string | undefined; apps?: readonly string[]; signal: AbortSignal }): Promise<StreamBody> {
    return (await transfer()).events(this.http, options);
  }

  /** Long-polls for a pull slot up to `waitSeconds`. */
  async requestPullSlot(request: PullSlotRequest, waitSeconds: number, signal: AbortSignal): Promise<PullSlotAnswer> {
    return (await transfer()).requestPullSlot(this.http, request, waitSeconds, signal);
  }

  /** Renews a granted slot; false when the server no longer knows it (expired). */
  async renewPullSlot(slot: string, signal: AbortSignal): Promise<boolean> {
    return (await transfer()).renewPullSlot(this.http, slot, signal);
  }

  async releasePullSlot(slot: string, signal: AbortSignal): Promise<void> {
    return (await transfer()).releasePullSlot(this.http, slot, signal);
  }

  // --- nodes ----------------------------------------------------------------------------------

  /** Every node the server has a report from. */
  async listNodes(signal: AbortSignal): Promise<{ nodes: NodeSummary[] }> {
    return this.http.json((await schemas()).NodeListSchema, routes.nodes(), { method: 'GET', signal, idempotent: true }, RESPONSE_LIMITS.list);
  }

  /** Forgets a node until it reports again. */
  async deleteNode(node: string, signal: AbortSignal): Promise<void> {
    await this.http.discard(routes.node(node), { method: 'DELETE', signal });
  }

  /** `PUT /v1/nodes/{node}`: what this node runs. */
  async reportNode(node: string, report: NodeReport, signal: AbortSignal): Promise<void> {
    await this.http.discard(routes.node(node), { method: 'PUT', signal, ...jsonBody(report) });
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
