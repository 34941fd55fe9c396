import { Readable } from 'node:stream';
import { END_OF_TAR } from '../../protocol/blob-tar-header.js';
export const PIPELINE_DEFAULTS = { streams: 4, requestBytes: 8 * 1024 * 1024, requestBlobs: 1024, roomBytes: 64 * 1024 * 1024, keepBytes: 64 * 1024 * 1024 };
/**
 * A cold publish's upload, run while the tree is hashed (docs/design.md, publish steps 1–3):
 * each hashed batch's small files come back from the hash workers as a piece of a blob tar
 * (hash-worker.ts), and a few `POST /v1/blobs` requests take those pieces as they come, each
 * ending its tar at `requestBytes` or `requestBlobs` for the next to begin. The upload overlaps
 * the hashing, and the server's writes and syncs overlap both; the hashing waits once
 * `roomBytes` of pieces wait to be sent.
 *
 * It starts only once `lacks` says the server holds none of the tree (until then pieces wait);
 * otherwise (`off`) no piece goes, the hashing keeps plain bytes as it would have, and the
 * publish asks the server what it lacks first.
 */
export class UploadPipeline {
    client;
    options;
    mode = 'waiting';
    queue = [];
    queueHead = 0;
    takers = [];
    roomWaiters = [];
    /** Tar bytes given to the hashing and not yet sent or dropped. */
    held = 0;
    keepLeft;
    closed = false;
    failure;
    senders = [];
    sent = { blobs: 0, bytes: 0 };
    /** Whether the upload runs: settles once the server was asked. */
    started;
    constructor(client, lacks, options) {
        this.client = client;
        this.options = options;
        this.keepLeft = options.keepBytes;
        this.started = lacks.then((yes) => (yes ? this.start() : this.stop()), () => this.stop());
    }
    async keepAs(tarBytes) {
        while (this.mode !== 'off' && this.held > 0 && this.held + tarBytes > this.options.roomBytes)
            await new Promise((wake) => this.roomWaiters.push(wake));
        if (this.mode === 'off') {
            if (this.keepLeft <= 0)
                return undefined;
            this.keepLeft -= tarBytes;
            return 'bytes';
        }
        this.held += tarBytes;
        return 'tar';
    }
    take(piece, blobs, bytes) {
        if (this.mode === 'off' || blobs === 0)
            return this.release(piece.reserved);
        const item = { piece, blobs, bytes };
        const taker = this.takers.shift();
        if (taker)
            taker(item);
        else
            this.queue.push(item);
    }
    /**
     * No more pieces: the requests end once they sent what is queued. Resolves with what went up,
     * or undefined when the upload never started (the server holds some of the tree); throws what
     * failed a request.
     */
    async finish() {
        this.closed = true;
        this.wakeTakers();
        if (!(await this.started))
            return undefined;
        await Promise.all(this.senders);
        if (this.failure)
            throw this.failure.err;
        return this.sent;
    }
    /** Ends the upload (the hashing failed): queued pieces are dropped, requests cut short. */
    cancel(err) {
        this.failure ??= { err };
        this.stop();
    }
    start() {
        if (this.mode === 'off')
            return false;
        this.mode = 'on';
        for (let k = 0; k < this.options.streams; k++) {
            const sender = this.send();
            // Awaited by finish; a failure meanwhile must not go unhandled.
            sender.catch(() => undefined);
            this.senders.push(sender);
        }
        return true;
    }
    stop() {
        this.mode = 'off';
        for (let at = this.queueHead; at < this.queue.length; at++)
            this.release(this.queue[at].piece.reserved);
        this.queue.length = 0;
        this.queueHead = 0;
        this.wakeTakers();
        this.wakeRoom();
        return false;
    }
    /** One request after another while pieces come, each a tar of up to requestBytes / requestBlobs. */
    async send() {
        for (let first = await this.next(); first; first = await this.next()) {
            try {
                await this.client.postBlobs(Readable.from(this.tar(first)), this.options.signal);
            }
            catch (err) {
                this.cancel(err);
                throw err;
            }
        }
    }
    async *tar(first) {
        let blobs = 0;
        let bytes = 0;
        for (let item = first; item; item = blobs < this.options.requestBlobs && bytes < this.options.requestBytes ? await this.next() : undefined) {
            yield item.piece.tar;
            // Handed to the request: room for the hashing to go on (the socket holds at most a few of them).
            this.release(item.piece.reserved);
            blobs += item.blobs;
            bytes += item.bytes;
            this.sent.blobs += item.blobs;
            this.sent.bytes += item.bytes;
            this.options.onBytes?.(item.bytes);
        }
        if (this.mode === 'off')
            throw this.failure?.err ?? new Error('the upload was stopped');
        yield END_OF_TAR;
    }
    /** The next piece to send; undefined once there are none to come (or the upload stopped). */
    next() {
        if (this.mode === 'off')
            return Promise.resolve(undefined);
        if (this.queueHead < this.queue.length) {
            const item = this.queue[this.queueHead++];
            if (this.queueHead === this.queue.length) {
                this.queue.length = 0;
                this.queueHead = 0;
            }
            return Promise.resolve(item);
        }
        if (this.closed)
            return Promise.resolve(undefined);
        return new Promise((resolve) => this.takers.push(resolve));
    }
    release(bytes) {
        this.held -= bytes;
        this.wakeRoom();
    }
    wakeRoom() {
        const waiters = this.roomWaiters;
        this.roomWaiters = [];
        for (const wake of waiters)
            wake();
    }
    wakeTakers() {
        const takers = this.takers;
        this.takers = [];
        for (const taker of takers)
            taker(undefined);
    }
}
//# sourceMappingURL=upload-pipeline.js.map