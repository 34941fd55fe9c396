import { Transform } from 'node:stream';
/** Largest piece one transfer sends before the others get their turn. */
const QUANTUM_BYTES = 64 * 1024;
/**
 * A token bucket shared by all blob transfers (`--max-bandwidth`). Transfers take tokens in pieces
 * of at most 64 KiB and each has at most one request pending, so serving requests in arrival order
 * is round-robin across transfers: every open transfer gets about rate / n.
 */
export class Bandwidth {
    bytesPerSecond;
    capacity;
    tokens;
    refilledAt = performance.now();
    turns = [];
    timer;
    constructor(options) {
        if (!(options.bytesPerSecond > 0))
            throw new RangeError('bytesPerSecond must be > 0');
        this.bytesPerSecond = options.bytesPerSecond;
        this.capacity = Math.max(QUANTUM_BYTES, options.bytesPerSecond * (options.burstSeconds ?? 0.1));
        this.tokens = this.capacity;
    }
    /** Resolves when `bytes` (at most 64 KiB) may be sent. */
    take(bytes) {
        return new Promise((resolve) => {
            this.turns.push({ bytes: Math.min(bytes, this.capacity), resolve });
            this.pump();
        });
    }
    /** A Transform that paces what passes through it against this bucket, splitting big chunks. */
    pace() {
        const bucket = this;
        return new Transform({
            transform(chunk, _encoding, callback) {
                bucket.sendPaced(this, chunk).then(() => callback(), callback);
            },
        });
    }
    async sendPaced(stream, chunk) {
        for (let offset = 0; offset < chunk.length && !stream.destroyed; offset += QUANTUM_BYTES) {
            const piece = chunk.subarray(offset, offset + QUANTUM_BYTES);
            await this.take(piece.length);
            stream.push(piece);
        }
    }
    pump() {
        if (this.timer)
            return;
        const now = performance.now();
        this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.bytesPerSecond);
        this.refilledAt = now;
        while (this.turns.length > 0 && this.tokens >= this.turns[0].bytes) {
            const turn = this.turns.shift();
            this.tokens -= turn.bytes;
            turn.resolve();
        }
        const head = this.turns[0];
        if (!head)
            return;
        // Waiting at least a few ms keeps timers rare at high rates; the bucket absorbs the overshoot.
        const waitMs = Math.max(4, ((head.bytes - this.tokens) / this.bytesPerSecond) * 1000);
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.pump();
        }, waitMs);
    }
}
//# sourceMappingURL=bandwidth.js.map