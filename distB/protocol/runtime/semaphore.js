/**
 * A count of permits shared by callers that do not know each other (every upload of a server
 * shares one bound on files being written and synced). `acquire` resolves once a permit is free,
 * first come first served; each permit is handed back once with `release`.
 */
export class Semaphore {
    limit;
    free;
    waiting = [];
    constructor(limit) {
        this.limit = limit;
        if (!Number.isInteger(limit) || limit < 1)
            throw new RangeError(`a semaphore needs at least one permit, not ${limit}`);
        this.free = limit;
    }
    /** Permits in use. */
    get held() {
        return this.limit - this.free;
    }
    async acquire() {
        if (this.free > 0 && this.waiting.length === 0) {
            this.free--;
            return;
        }
        await new Promise((resolve) => this.waiting.push(resolve));
    }
    release() {
        const next = this.waiting.shift();
        // The permit passes straight to the first waiter, so a late caller never overtakes it.
        if (next)
            next();
        else if (this.free < this.limit)
            this.free++;
        else
            throw new Error('semaphore released more often than acquired');
    }
}
//# sourceMappingURL=semaphore.js.map