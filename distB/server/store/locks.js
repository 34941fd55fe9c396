/**
 * In-process locks of the store. One server process owns a data dir, so these are enough to
 * serialize seq allocation per app and to keep garbage collection away from publishes.
 */
/** One FIFO mutex per key (app name): concurrent publishes to an app get distinct seqs. */
export class KeyedMutex {
    tails = new Map();
    async run(key, work) {
        const previous = this.tails.get(key) ?? Promise.resolve();
        let release;
        const current = new Promise((resolve) => (release = resolve));
        const tail = previous.then(() => current);
        this.tails.set(key, tail);
        await previous;
        try {
            return await work();
        }
        finally {
            release();
            if (this.tails.get(key) === tail)
                this.tails.delete(key);
        }
    }
}
/**
 * Many shared holders (publishes checking blobs and writing records) or one exclusive holder
 * (the garbage collector deciding what no release references). Writers never starve: a waiting
 * exclusive request blocks new shared holders.
 */
export class SharedExclusiveLock {
    shared = 0;
    exclusive = false;
    waiting = [];
    async withShared(work) {
        await this.acquire(false);
        try {
            return await work();
        }
        finally {
            this.shared--;
            this.drain();
        }
    }
    async withExclusive(work) {
        await this.acquire(true);
        try {
            return await work();
        }
        finally {
            this.exclusive = false;
            this.drain();
        }
    }
    acquire(exclusive) {
        if (this.waiting.length === 0 && this.canGrant(exclusive)) {
            this.take(exclusive);
            return Promise.resolve();
        }
        return new Promise((grant) => this.waiting.push({ exclusive, grant }));
    }
    canGrant(exclusive) {
        return exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive;
    }
    take(exclusive) {
        if (exclusive)
            this.exclusive = true;
        else
            this.shared++;
    }
    drain() {
        while (this.waiting.length > 0 && this.canGrant(this.waiting[0].exclusive)) {
            const next = this.waiting.shift();
            this.take(next.exclusive);
            next.grant();
        }
    }
}
//# sourceMappingURL=locks.js.map