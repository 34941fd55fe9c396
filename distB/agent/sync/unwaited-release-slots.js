/**
 * Pull slots whose give-back the sync does not wait for: it switches once its last blob is in,
 * not one round trip to a busy server later (nothing the server answers to the release changes
 * what the sync does: a slot not given back expires). The next ask waits for the give-back, so
 * the server never sees this app's next ask before it, and `released()` lets a caller about to
 * exit (`codesync pull`) wait for it.
 */
export class UnwaitedReleaseSlots {
    slots;
    releasing = Promise.resolve();
    constructor(slots) {
        this.slots = slots;
    }
    async acquire(request) {
        await this.releasing;
        const lease = await this.slots.acquire(request);
        return {
            slot: lease.slot,
            release: async () => {
                // Errors stay the inner lease's (it logs them): a failed give-back expires at the server.
                this.releasing = lease.release().catch(() => { });
            },
        };
    }
    /** Settles once the last give-back is over. */
    released() {
        return this.releasing;
    }
}
//# sourceMappingURL=unwaited-release-slots.js.map