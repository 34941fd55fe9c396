import { randomUUID } from 'node:crypto';
/**
 * The fair queue behind pull slots, as pure logic: at most `maxConcurrent` slots at once; small
 * pulls (an updating node's few bytes, a hotfix) first, with `smallPullSlots` more slots of their
 * own when the others are taken, so their wait does not depend on how many cold nodes a scale-up
 * brought; then cold nodes before updating nodes; first come first served within each class. Waiters hold nothing
 * but their place in line — no connection to the blob store, no file handle.
 */
export class SlotQueue {
    maxConcurrent;
    ttlMs;
    parkMs;
    now;
    options;
    slots = new Map();
    slotByKey = new Map();
    waiterByKey = new Map();
    smallPullBytes;
    smallPullSlots;
    /** Slots of the small-pull lane held beyond maxConcurrent. */
    smallHeld = 0;
    small = [];
    cold = [];
    updating = [];
    sweeper;
    constructor(options) {
        if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1)
            throw new RangeError('maxConcurrent must be an integer >= 1');
        this.options = options;
        this.maxConcurrent = options.maxConcurrent;
        this.ttlMs = options.ttlMs ?? 30_000;
        this.parkMs = options.parkMs ?? 10_000;
        this.now = options.now ?? Date.now;
        this.smallPullBytes = options.smallPullBytes ?? 0;
        this.smallPullSlots = options.smallPullSlots ?? options.maxConcurrent;
        this.sweeper = setInterval(() => this.reclaimExpired(), options.sweepIntervalMs ?? Math.min(1000, this.ttlMs / 4));
        this.sweeper.unref();
    }
    /** Asks for a slot. A node that already holds one for the app gets it back, renewed. */
    ask(request) {
        const key = keyOf(request.node, request.app);
        const held = this.slotByKey.get(key);
        if (held) {
            held.expiresAt = this.now() + this.ttlMs;
            return this.ticketFor({ key, request, askedAt: held.askedAt, listeners: new Set(), parkedUntil: undefined, slot: held });
        }
        let waiter = this.waiterByKey.get(key);
        if (waiter) {
            waiter.parkedUntil = undefined;
        }
        else {
            waiter = { key, request, askedAt: this.now(), listeners: new Set(), parkedUntil: undefined, slot: undefined };
            this.waiterByKey.set(key, waiter);
            this.lineOf(request).push(waiter);
        }
        this.dispatch();
        return this.ticketFor(waiter);
    }
    /** Extends the slot's ttl; undefined when the slot is unknown or expired. */
    renew(id) {
        const slot = this.slots.get(id);
        if (slot)
            slot.expiresAt = this.now() + this.ttlMs;
        return slot;
    }
    /** A blob response starts under the slot: renews it and keeps it alive until `closeTransfer`. */
    openTransfer(id) {
        const slot = this.renew(id);
        if (slot)
            slot.openTransfers += 1;
        return slot;
    }
    /** The blob response ended; the ttl counts from now. */
    closeTransfer(slot) {
        slot.openTransfers = Math.max(0, slot.openTransfers - 1);
        slot.expiresAt = this.now() + this.ttlMs;
    }
    /** Gives a slot back; false when it was unknown or already gone. */
    release(id) {
        const slot = this.slots.get(id);
        if (!slot)
            return false;
        this.end(slot, 'released');
        this.dispatch();
        return true;
    }
    /** Reclaims slots whose ttl passed with no transfer open and drops parked waiters that never came back. */
    reclaimExpired() {
        const now = this.now();
        const expired = [...this.slots.values()].filter((slot) => slot.openTransfers === 0 && slot.expiresAt <= now);
        for (const slot of expired)
            this.end(slot, 'expired');
        for (const waiter of [...this.small, ...this.cold, ...this.updating]) {
            if (waiter.parkedUntil !== undefined && waiter.parkedUntil <= now)
                this.remove(waiter);
        }
        this.dispatch();
        return expired;
    }
    stats() {
        return { active: this.slots.size, waiting: this.small.length + this.cold.length + this.updating.length };
    }
    /** Stops the sweeper; waiters stay unanswered (the server is closing their connections). */
    close() {
        clearInterval(this.sweeper);
    }
    dispatch() {
        for (;;) {
            const regular = this.slots.size - this.smallHeld < this.maxConcurrent;
            const small = this.small[0];
            if (small && (regular || this.smallHeld < this.smallPullSlots))
                this.grant(small, !regular);
            else if (regular && (this.cold[0] ?? this.updating[0]))
                this.grant((this.cold[0] ?? this.updating[0]), false);
            else
                break;
        }
        this.options.onChange?.(this.stats());
    }
    /** Small pulls first, then cold nodes, then other updates. */
    lineOf(request) {
        if (!request.cold && request.bytes > 0 && request.bytes <= this.smallPullBytes)
            return this.small;
        return request.cold ? this.cold : this.updating;
    }
    grant(waiter, extra) {
        this.remove(waiter);
        const now = this.now();
        // A parked waiter is between two long-polls: its next ask claims the slot (and renews it); if
        // that ask never comes, the slot goes back when the place would have been given up.
        const expiresAt = Math.min(now + this.ttlMs, waiter.parkedUntil ?? Infinity);
        const slot = { ...waiter.request, id: randomUUID(), askedAt: waiter.askedAt, grantedAt: now, expiresAt, openTransfers: 0, small: extra };
        if (extra)
            this.smallHeld += 1;
        this.slots.set(slot.id, slot);
        this.slotByKey.set(waiter.key, slot);
        waiter.slot = slot;
        this.options.onGrant?.(slot, (now - waiter.askedAt) / 1000);
        for (const listener of waiter.listeners)
            listener(slot);
        waiter.listeners.clear();
    }
    end(slot, reason) {
        this.slots.delete(slot.id);
        if (slot.small)
            this.smallHeld -= 1;
        const key = keyOf(slot.node, slot.app);
        if (this.slotByKey.get(key) === slot)
            this.slotByKey.delete(key);
        this.options.onEnd?.(slot, reason);
    }
    remove(waiter) {
        const line = this.lineOf(waiter.request);
        const index = line.indexOf(waiter);
        if (index >= 0)
            line.splice(index, 1);
        if (this.waiterByKey.get(waiter.key) === waiter)
            this.waiterByKey.delete(waiter.key);
    }
    positionOf(waiter) {
        if (waiter.slot)
            return 0;
        const line = this.lineOf(waiter.request);
        const index = line.indexOf(waiter);
        if (index < 0)
            return 0;
        const ahead = line === this.small ? 0 : line === this.cold ? this.small.length : this.small.length + this.cold.length;
        return index + 1 + ahead;
    }
    ticketFor(waiter) {
        return {
            granted: () => waiter.slot,
            wait: (signal) => this.waitFor(waiter, signal),
            position: () => this.positionOf(waiter),
            park: () => {
                if (waiter.slot || waiter.listeners.size > 0 || !this.waiterByKey.has(waiter.key))
                    return;
                waiter.parkedUntil = this.now() + this.parkMs;
                this.dispatch();
            },
            leave: () => {
                if (waiter.slot || waiter.listeners.size > 0)
                    return;
                this.remove(waiter);
                this.dispatch();
            },
        };
    }
    waitFor(waiter, signal) {
        if (waiter.slot)
            return Promise.resolve(waiter.slot);
        if (signal.aborted)
            return Promise.reject(signal.reason);
        return new Promise((resolve, reject) => {
            const onGrant = (slot) => {
                signal.removeEventListener('abort', onAbort);
                resolve(slot);
            };
            const onAbort = () => {
                waiter.listeners.delete(onGrant);
                reject(signal.reason);
            };
            waiter.listeners.add(onGrant);
            signal.addEventListener('abort', onAbort, { once: true });
        });
    }
}
function keyOf(node, app) {
    return `${node}\u0000${app}`;
}
//# sourceMappingURL=slot-queue.js.map