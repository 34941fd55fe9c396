import { fsyncDir } from '../../protocol/runtime/durable-write.js';
/**
 * fsyncs of blob directories, shared between concurrent uploads: a caller that renamed a file into
 * a directory joins a sync of it that has not started yet (that sync will cover its rename) and
 * queues behind one already running (which may have started before its rename). With 256 prefix
 * directories and many uploads committing at once, this turns one fsync per directory per upload
 * into about one per directory per moment.
 */
export class DirSyncer {
    fsync;
    queued = new Map();
    running = new Map();
    /** `fsync` makes a directory's entries durable (default: open, fsync, close through the thread pool). */
    constructor(fsync = fsyncDir) {
        this.fsync = fsync;
    }
    /** Resolves once `dir` was fsynced after this call began. */
    sync(dir) {
        const queued = this.queued.get(dir);
        if (queued)
            return queued;
        const before = this.running.get(dir) ?? Promise.resolve();
        const next = before
            .catch(() => { })
            .then(() => {
            this.queued.delete(dir);
            this.running.set(dir, next);
            return this.fsync(dir);
        })
            .finally(() => {
            if (this.running.get(dir) === next)
                this.running.delete(dir);
        });
        this.queued.set(dir, next);
        return next;
    }
}
//# sourceMappingURL=dir-syncer.js.map