import { EventEmitter } from 'node:events';
import { mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppName } from '../protocol/app-name.js';
import { parseSelector } from '../protocol/selector.js';
import { ActivationFeed } from './reload/activation-feed.js';
import { AppWorker } from './sync/app-worker.js';
import { classifyFsError } from './cache/durable-fs.js';
import { isMissing } from '../protocol/runtime/durable-write.js';
import { EventStream } from './link/event-stream.js';
import { startHttpListener } from './observability/http-listener.js';
import { LagTracker } from './observability/lag-tracker.js';
import { RootLayout } from './cache/layout.js';
import { AgentMetrics, registerRootSpaceMetrics } from './observability/metrics.js';
import { ObjectCache } from './cache/object-cache.js';
import { CachePruner } from './cache-pruner.js';
import { unmeteredSlots } from './link/pull-slots.js';
import { Reporter } from './link/reporter.js';
import { acceptedApps, acceptedReleaseEvent } from './link/server-listing.js';
import { DEFAULT_BACKGROUND_DELAY_MS, SyncEngine } from './sync/sync-engine.js';
import { UnselectedApps } from './sync/unselected-apps.js';
import { HeapRelease } from '../protocol/runtime/heap-release.js';
import { capMallocArenas } from '../protocol/runtime/malloc-arenas.js';
import { fixMallocThresholds } from './malloc-thresholds.js';
/**
 * The node agent (docs/agent.md): follows the server's events, holds every app whose nodeSelector
 * matches the node's labels, one AppWorker per app, and reports what it runs.
 */
export class Agent {
    feed = new ActivationFeed();
    events = new EventEmitter();
    lag = new LagTracker();
    metrics = new AgentMetrics(this.lag);
    layout;
    options;
    client;
    cache;
    workers = new Map();
    workerStops = new Map();
    unselected = new UnselectedApps();
    /** Set once the server's app list was read: before it, no app can be called unselected. */
    listed = false;
    apps = new Map();
    /** Each app's nodeSelector, parsed once when the app is learned; undefined when unreadable. */
    selectors = new Map();
    /** The newest release the agent knows of per app: from the listing, then from each release event. */
    newest = new Map();
    reporter;
    controller = new AbortController();
    tasks = [];
    http;
    caughtUp = false;
    /** The server's store id (`x-codesync-store-id`) as the last app listing gave it. */
    storeId;
    heap = new HeapRelease();
    pruner;
    /** Switches and recoveries whose background work (spare, reserves, old releases) is not over yet. */
    backgroundRunning = 0;
    url = '';
    constructor(options) {
        this.options = options;
        registerRootSpaceMetrics(this.metrics.registry, options.root);
        this.layout = new RootLayout(options.root);
        this.client = options.client;
        this.cache = new ObjectCache(this.layout.objects);
        this.pruner = new CachePruner({ cache: this.cache, heap: this.heap, log: options.log, signal: this.controller.signal, onPassOver: () => this.noteSettled(), busy: () => this.backgroundRunning > 0 || this.cache.inUse });
        this.reporter = new Reporter({
            client: this.client,
            node: options.node,
            labels: options.labels,
            feed: this.feed,
            workers: () => this.workers.values(),
            log: options.log,
            heartbeatMs: options.heartbeatMs,
            unselected: (app) => this.unselected.isUnselected(app),
        });
        this.feed.on('ack', (app, ack) => {
            this.metrics.reloadAcks.inc({ app, result: ack.ok ? 'ok' : 'failed' });
            this.reporter.report(this.controller.signal);
        });
    }
    async start() {
        const { log } = this.options;
        const signal = this.controller.signal;
        // Before the first sync: arenas go to threads as they first allocate, and the thresholds
        // decide what the arenas keep once a sync is over.
        capMallocArenas();
        fixMallocThresholds();
        await this.checkRootWritable();
        await this.cache.init();
        const http = await startHttpListener({ ...this.options.listen, registry: this.metrics.registry, ready: () => this.caughtUp });
        this.http = http.server;
        this.url = http.url;
        // `node` is already bound to the agent's logger: pino would print it twice.
        log.info({ url: this.url }, 'listening');
        // Apps already on disk are served (and reported) from the start, even while the server is away.
        for (const app of await this.appsOnDisk())
            this.worker(app);
        this.options.labels.on('change', () => this.reselect());
        await this.options.labels.start(signal);
        const stream = new EventStream({ client: this.client, log, handlers: { onOpen: () => this.onStreamOpen(), onEvent: (message) => this.onEvent(message), onClose: () => this.metrics.serverConnected.set(0) } });
        this.tasks.push(stream.run(signal));
        this.tasks.push(this.reporter.run(signal));
        this.every(this.options.relistIntervalMs ?? 60_000, () => this.relist().catch((err) => log.warn({ err: err.message }, 'app listing failed')));
        if (this.options.verifyIntervalMs > 0)
            this.every(this.options.verifyIntervalMs, () => this.requestVerify());
        const pruneAfterMs = this.options.pruneAfterMs ?? 0;
        if (pruneAfterMs > 0)
            this.every(Math.max(1000, Math.min(60_000, pruneAfterMs / 4)), () => this.pruneUnselected());
    }
    /** Aborts every sync, stream and timer, and waits for the workers to wind down. */
    async stop() {
        this.controller.abort();
        this.heap.cancel();
        await Promise.allSettled([...this.tasks, ...[...this.workers.values()].map((worker) => worker.stopped()), this.pruner.settled()]);
        const http = this.http;
        if (!http)
            return;
        const closed = new Promise((resolve) => http.close(() => resolve()));
        http.closeAllConnections();
        await closed;
    }
    /** Asks every held app for a full verify pass. */
    requestVerify() {
        for (const worker of this.workers.values())
            worker.requestVerify();
    }
    async onStreamOpen() {
        this.metrics.serverConnected.set(1);
        await this.relist();
        this.caughtUp = true;
    }
    onEvent(message) {
        const { log } = this.options;
        try {
            if (message.event === 'release') {
                const event = acceptedReleaseEvent(JSON.parse(message.data), log);
                if (!event)
                    return;
                const info = this.apps.get(event.app);
                if (info)
                    this.newest.set(event.app, { seq: event.seq, createdAt: event.createdAt });
                if (info ? this.selects(info) : false)
                    this.release(event.app, event.seq, event.createdAt);
                else if (!info)
                    void this.relist().catch(() => { });
            }
            else if (message.event === 'app') {
                const [info] = acceptedApps([JSON.parse(message.data)], log);
                if (!info)
                    return;
                this.learn(info);
                this.reselect();
            }
            else if (message.event === 'reset') {
                void this.relist().catch((err) => log.warn({ err: err.message }, 'app listing failed'));
            }
        }
        catch (err) {
            log.warn({ event: message.event, err: err.message }, 'ignored an unreadable event');
        }
    }
    /** `GET /v1/apps`: learns every app's nodeSelector and latest release (catch-up). */
    async relist() {
        const { body, storeId } = await this.client.appListing(this.controller.signal);
        const apps = acceptedApps(body, this.options.log);
        this.noteStore(storeId);
        this.apps.clear();
        this.selectors.clear();
        this.newest.clear();
        for (const info of apps)
            this.learn(info);
        this.listed = true;
        this.reselect();
    }
    /**
     * Whether this node's labels match the app's selector, as far as the agent knows the app
     * (undefined before it learned of it): `codesync wait` tells a misconfigured node at once.
     */
    selection(app) {
        const info = this.apps.get(app);
        if (!info)
            return undefined;
        return { node: this.options.node, selector: info.nodeSelector ?? '', labels: { ...this.options.labels.current() }, selected: this.selects(info) };
    }
    /**
     * Starts or stops updates per app after labels or selectors changed. An app no longer selected
     * (or deleted on the server) is reported as such and keeps its files for `pruneAfterMs`.
     */
    reselect() {
        for (const info of this.apps.values()) {
            const newest = this.newest.get(info.name);
            if (!this.selects(info) || !newest)
                continue;
            this.release(info.name, newest.seq, newest.createdAt);
        }
        if (!this.listed || !this.options.labels.known())
            return;
        const before = [...this.workers.keys()].filter((app) => this.unselected.isUnselected(app)).join();
        this.unselected.update(this.workers.keys(), (app) => {
            const info = this.apps.get(app);
            return info !== undefined && this.selects(info);
        });
        const after = [...this.workers.keys()].filter((app) => this.unselected.isUnselected(app)).join();
        if (before !== after) {
            this.options.log.info({ unselected: after ? after.split(',') : [] }, 'apps this node no longer selects changed');
            this.reporter.report(this.controller.signal);
        }
        this.pruneUnselected();
    }
    /** Removes apps unselected for `pruneAfterMs` and not in use on the node. */
    pruneUnselected() {
        for (const app of this.unselected.due(this.options.pruneAfterMs ?? 0)) {
            if (this.options.appInUse?.(app))
                continue;
            this.unselected.forget(app);
            this.dropApp(app).catch((err) => {
                if (!this.controller.signal.aborted)
                    this.options.log.error({ app, err }, 'could not remove an unselected app');
            });
        }
    }
    /** Stops the app's worker and removes `apps/<app>` (renamed away first, so a crash leaves no half app). */
    async dropApp(app) {
        this.workerStops.get(app)?.abort();
        await this.workers.get(app)?.stopped();
        this.workers.delete(app);
        this.workerStops.delete(app);
        const dir = this.layout.app(app).dir;
        const doomed = join(this.layout.appsDir, `.removing-${app}-${process.pid}`);
        await rename(dir, doomed).catch((err) => {
            if (!isMissing(err))
                throw err;
        });
        await rm(doomed, { recursive: true, force: true });
        this.feed.forget(app);
        this.lag.forget(app);
        this.options.log.info({ app, pruneAfterMs: this.options.pruneAfterMs }, 'removed an app this node no longer selects');
        this.events.emit('appRemoved', app);
        this.cache.noteUnlinked('all');
        this.pruner.prune();
        this.reporter.report(this.controller.signal);
    }
    /** Takes the server's word on an app: its spec, its parsed selector, its latest release. */
    learn(info) {
        this.apps.set(info.name, info);
        let selector;
        try {
            selector = parseSelector(info.nodeSelector ?? '');
        }
        catch (err) {
            this.options.log.warn({ app: info.name, err: err.message }, 'app has an unreadable nodeSelector; not held');
        }
        this.selectors.set(info.name, selector);
        if (info.latest)
            this.newest.set(info.name, { seq: info.latest.seq, createdAt: info.latest.createdAt });
    }
    selects(info) {
        return this.selectors.get(info.name)?.matches(this.options.labels.current()) ?? false;
    }
    /**
     * Records the server's store id. Another id than before means the store was lost and
     * recreated: its seqs start over, so what the node learned about seqs (lag) starts over too;
     * each worker compares the id with its release's (`current` keeps serving meanwhile).
     */
    noteStore(storeId) {
        if (storeId === undefined || storeId === this.storeId)
            return;
        if (this.storeId !== undefined) {
            this.options.log.warn({ previousStore: this.storeId, storeId }, 'the server is a new store: its releases are followed from their full manifests, never taken for older ones');
            for (const app of this.lag.appNames())
                this.lag.forget(app);
        }
        this.storeId = storeId;
    }
    release(app, seq, createdAt) {
        this.lag.learned(app, seq, createdAt);
        this.worker(app).want(seq, this.storeId);
    }
    worker(app) {
        let worker = this.workers.get(app);
        if (worker)
            return worker;
        const layout = this.layout.app(app);
        const log = this.options.log.child({ app });
        const manifestRules = () => ({ externalSymlinks: this.apps.get(app)?.externalSymlinks === 'allow' });
        const engine = new SyncEngine({ layout, cache: this.cache, client: this.client, slots: this.options.slots ?? unmeteredSlots, metrics: this.metrics, log, trust: this.options.trust, manifestRules, keepReleases: this.options.keepReleases });
        worker = new AppWorker({
            app,
            engine,
            metrics: this.metrics,
            lag: this.lag,
            feed: this.feed,
            log,
            onActivated: () => {
                this.reporter.report(this.controller.signal);
                // A sync's garbage is dead once it switched: given back after the switch's pause, before
                // the background clones run (their thread adds a heap of its own), not only after them.
                this.heap.releaseAfter(DEFAULT_BACKGROUND_DELAY_MS);
            },
            onBackground: (settled) => {
                this.backgroundRunning++;
                void settled
                    .catch(() => { })
                    .then(() => {
                    this.backgroundRunning--;
                    this.pruner.prune();
                });
            },
            onSyncFailed: (message) => this.events.emit('syncFailed', app, message),
        });
        const stop = new AbortController();
        this.workers.set(app, worker);
        this.workerStops.set(app, stop);
        worker.start(AbortSignal.any([this.controller.signal, stop.signal]));
        return worker;
    }
    /**
     * Logs `background work settled` once a prune pass ends with no switch's background work left:
     * the agent is idle until the next release, its memory given back (benches read idle RSS here).
     */
    noteSettled() {
        if (this.backgroundRunning > 0)
            return;
        const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
        this.options.log.info({ rssBytes: rss, heapUsedBytes: heapUsed, heapTotalBytes: heapTotal, externalBytes: external }, 'background work settled');
    }
    async appsOnDisk() {
        try {
            const entries = await readdir(this.layout.appsDir, { withFileTypes: true });
            // `.removing-*` left by a crash during dropApp goes now; it is no app.
            for (const entry of entries)
                if (entry.name.startsWith('.removing-'))
                    await rm(join(this.layout.appsDir, entry.name), { recursive: true, force: true });
            return entries.filter((entry) => entry.isDirectory() && isAppName(entry.name)).map((entry) => entry.name);
        }
        catch (err) {
            if (isMissing(err))
                return [];
            throw err;
        }
    }
    /** Fails fast with ROOT_NOT_WRITABLE (or DISK_FULL) instead of failing every sync later. */
    async checkRootWritable() {
        const probe = join(this.layout.root, `.probe-${process.pid}`);
        try {
            await mkdir(this.layout.appsDir, { recursive: true });
            await writeFile(probe, '');
            await unlink(probe);
        }
        catch (err) {
            throw classifyFsError(err, this.layout.root);
        }
    }
    every(ms, work) {
        const timer = setInterval(work, ms);
        timer.unref();
        this.controller.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    }
}
//# sourceMappingURL=agent.js.map