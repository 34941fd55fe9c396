import { EventEmitter } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
import { readdirOrEmpty, replaceFileUnsynced } from '../store/durable-fs.js';
import { fsyncDir } from '../../protocol/runtime/durable-write.js';
import { KeyedMutex } from '../store/locks.js';
/** Kubernetes node names are DNS subdomains; this also keeps them safe as file names. */
const NODE_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$/;
export function assertNodeName(node) {
    if (!NODE_NAME_RE.test(node) || node.includes('..'))
        throw new CodesyncError('INVALID_REQUEST', `invalid node name ${JSON.stringify(node)}`);
}
/**
 * The latest report of each node, in memory and persisted best-effort to `nodes/<node>.json`:
 * after a restart the rollout view (and lag of silent nodes) survives until agents report again.
 * A silent node stays (its lag grows, so the lag alert fires) until it has been silent for
 * `forgetAfterMs` or an operator removes it.
 */
export class NodeRegistry {
    fs;
    logger;
    options;
    nodes = new Map();
    /**
     * Emits `change` after each report, so status requests waiting on a rollout look again, and
     * `forgotten` (with the node's name) once per node forgotten for its silence.
     */
    changes = new EventEmitter().setMaxListeners(0);
    writes = new KeyedMutex();
    dir;
    sweeper;
    constructor(fs, logger, options = { forgetAfterMs: 0 }) {
        this.fs = fs;
        this.logger = logger;
        this.options = options;
        this.dir = join(fs.dataDir, 'nodes');
    }
    async init() {
        for (const file of await readdirOrEmpty(this.dir)) {
            if (!file.endsWith('.json'))
                continue;
            try {
                const state = JSON.parse(await readFile(join(this.dir, file), 'utf8'));
                this.nodes.set(state.node, state);
            }
            catch (err) {
                this.logger.warn({ file, err }, 'ignoring unreadable node report');
            }
        }
        const { forgetAfterMs } = this.options;
        if (forgetAfterMs > 0) {
            // Checked often enough that a node goes within ~1% of the limit (at most once a minute).
            this.sweeper = setInterval(() => this.forgetSilent(), Math.max(1000, Math.min(60_000, forgetAfterMs / 100)));
            this.sweeper.unref();
        }
    }
    stop() {
        clearInterval(this.sweeper);
    }
    put(node, report) {
        assertNodeName(node);
        const state = { node, report, receivedAt: new Date().toISOString() };
        this.nodes.set(node, state);
        this.changes.emit('change', node);
        // Persisting is best-effort: the next report repairs a lost write (and an unreadable file is
        // skipped at start), so it is not fsynced: 20 nodes reporting a switch made 40 journal
        // commits the nodes' own fsyncs queued behind. Writes per node stay ordered.
        void this.writes
            .run(node, async () => {
            const latest = this.nodes.get(node);
            // Removed meanwhile: the removal's delete must win.
            if (latest)
                await replaceFileUnsynced(this.fs, join(this.dir, `${node}.json`), JSON.stringify(latest));
        })
            .catch((err) => this.logger.warn({ node, err }, 'could not persist node report'));
        return state;
    }
    get(node) {
        return this.nodes.get(node);
    }
    all() {
        return [...this.nodes.values()];
    }
    /** Forgets a node (`DELETE /v1/nodes/{node}`); false when it was not known. A later report brings it back. */
    async remove(node) {
        assertNodeName(node);
        if (!this.nodes.delete(node))
            return false;
        await this.writes.run(node, async () => {
            await rm(join(this.dir, `${node}.json`), { force: true });
            await fsyncDir(this.dir).catch(() => { });
        });
        return true;
    }
    /** Forgets every node silent for `forgetAfterMs`. */
    forgetSilent(now = Date.now()) {
        for (const state of this.all()) {
            const silentMs = now - Date.parse(state.receivedAt);
            if (silentMs < this.options.forgetAfterMs)
                continue;
            this.logger.warn({ node: state.node, lastReportAt: state.receivedAt, silentSeconds: Math.round(silentMs / 1000) }, 'forgot a node silent past --forget-nodes-after');
            this.changes.emit('forgotten', state.node);
            this.remove(state.node).catch((err) => this.logger.warn({ node: state.node, err }, 'could not delete a forgotten node report'));
        }
    }
}
//# sourceMappingURL=node-registry.js.map