import { randomUUID } from 'node:crypto';

/** What a node asks a slot for (docs/throttling.md). */
export interface SlotRequest {
  node: string;
  app: string;
  /**
   * Bytes the node is about to fetch: an updating node asking for at most `smallPullBytes` takes
   * the small-pull lane (a hotfix never waits behind a scale-up's cold nodes).
   */
  bytes: number;
  /** The node holds no release of the app yet (pods wait in init containers): served first. */
  cold: boolean;
}

/** A granted pull slot. */
export interface Slot extends Readonly<SlotRequest> {
  readonly id: string;
  /** Clock time (ms) the node first asked, before any wait. */
  readonly askedAt: number;
  readonly grantedAt: number;
  /** Clock time (ms) after which the slot is reclaimed unless a transfer is open under it. */
  expiresAt: number;
  /** Blob responses being sent under this slot; a slot never expires while one is open. */
  openTransfers: number;
  /** Granted in the small-pull lane, over and above `maxConcurrent`. */
  readonly small: boolean;
}

export interface SlotQueueOptions {
  /** Slots granted at once (>= 1) to cold nodes and to updates over `smallPullBytes`. */
  maxConcurrent: number;
  /**
   * An updating node asking for at most this many bytes (and more than 0) is a small pull: it goes
   * ahead of every other waiter and, when the `maxConcurrent` slots are all taken, may take one
   * of `smallPullSlots` more. The origin's extra IO is bounded by their product. Default 0: no
   * lane (the server's pull meter turns it on). The bytes are as the node declares them.
   */
  smallPullBytes?: number;
  /** Slots the small-pull lane may hold beyond `maxConcurrent`. Default `maxConcurrent`. */
  smallPullSlots?: number;
  /** How long (ms) a slot lives without a renewal and with no transfer open. Default 30 s. */
  ttlMs?: number;
  /**
   * How long (ms) a waiter whose long-poll ended keeps its place in line, so that its next ask
   * resumes there instead of at the back. A parked waiter granted in its turn must claim the slot
   * by asking again within this time, else the slot expires. Default 10 s.
   */
  parkMs?: number;
  /** Clock in ms; tests pass a fake one and call `reclaimExpired()` themselves. */
  now?: () => number;
  /** How often (ms) expired slots and parked waiters are swept. Default min(1 s, ttl / 4). */
  sweepIntervalMs?: number;
  /** Called after a slot is granted, with the seconds the node waited for it. */
  onGrant?: (slot: Slot, waitedSeconds: number) => void;
  /** Called after a slot is gone: released by its holder or reclaimed when its ttl passed. */
  onEnd?: (slot: Slot, reason: 'released' | 'expired') => void;
  /** Called after anything that may change the number of active slots or waiters. */
  onChange?: (stats: SlotQueueStats) => void;
}

export interface SlotQueueStats {
  active: number;
  waiting: number;
}

interface Waiter {
  readonly key: string;
  readonly request: SlotRequest;
  readonly askedAt: number;
  /** Asks (long-polls) currently waiting on this waiter; a node may ask twice after a retry. */
  listeners: Set<(slot: Slot) => void>;
  /** Set while no ask is listening: the place is kept until then. */
  parkedUntil: number | undefined;
  slot: Slot | undefined;
}

/** One ask for a slot: granted at once, or waiting in line. */
export interface SlotTicket {
  /** The slot once granted, else undefined. */
  granted(): Slot | undefined;
  /** Resolves with the slot once granted; rejects with `signal.reason` when the signal aborts. */
  wait(signal: AbortSignal): Promise<Slot>;
  /** 1-based place in line (cold waiters count first); 0 once granted. */
  position(): number;
  /** The long-poll ended unanswered: keep the place for `parkMs` unless another ask listens. */
  park(): void;
  /** The node went away: leave the line unless another ask listens. */
  leave(): void;
}

/**
 * The fair queue behind pull slots, as pure logic: at most `maxConcurrent` slots at once; small
 * pulls (an updating node's few bytes, a hotfix) first, with `smallPullSlots` more slots of their
 * own when the others are taken, so their wait does not depend on how many cold nodes a scale-up
 * brought; then cold nodes before updating nodes; first come first served within each class. Waiters hold nothing
 * but their place in line — no connection to the blob store, no file handle.
 */
export class SlotQueue {
  readonly maxConcurrent: number;
  readonly ttlMs: number;
  private readonly parkMs: number;
  private readonly now: () => number;
  private readonly options: SlotQueueOptions;
  private readonly slots = new Map<string, Slot>();
  private readonly slotByKey = new Map<string, Slot>();
  private readonly waiterByKey = new Map<string, Waiter>();
  private readonly smallPullBytes: number;
  private readonly smallPullSlots: number;
  /** Slots of the small-pull lane held beyond maxConcurrent. */
  private smallHeld = 0;
  private readonly small: Waiter[] = [];
  private readonly cold: Waiter[] = [];
  private readonly updating: Waiter[] = [];
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: SlotQueueOptions) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1) throw new RangeError('maxConcurrent must be an integer >= 1');
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
  ask(request: SlotRequest): SlotTicket {
    const key = keyOf(request.node, request.app);
    const held = this.slotByKey.get(key);
    if (held) {
      held.expiresAt = this.now() + this.ttlMs;
      return this.ticketFor({ key, request, askedAt: held.askedAt, listeners: new Set(), parkedUntil: undefined, slot: held });
    }
    let waiter = this.waiterByKey.get(key);
    if (waiter) {
      waiter.parkedUntil = undefined;
    } else {
      waiter = { key, request, askedAt: this.now(), listeners: new Set(), parkedUntil: undefined, slot: undefined };
      this.waiterByKey.set(key, waiter);
      this.lineOf(request).push(waiter);
    }
    this.dispatch();
    return this.ticketFor(waiter);
  }

  /** Extends the slot's ttl; undefined when the slot is unknown or expired. */
  renew(id: string): Slot | undefined {
    const slot = this.slots.get(id);
    if (slot) slot.expiresAt = this.now() + this.ttlMs;
    return slot;
  }

  /** A blob response starts under the slot: renews it and keeps it alive until `closeTransfer`. */
  openTransfer(id: string): Slot | undefined {
    const slot = this.renew(id);
    if (slot) slot.openTransfers += 1;
    return slot;
  }

  /** The blob response ended; the ttl counts from now. */
  closeTransfer(slot: Slot): void {
    slot.openTransfers = Math.max(0, slot.openTransfers - 1);
    slot.expiresAt = this.now() + this.ttlMs;
  }

  /** Gives a slot back; false when it was unknown or already gone. */
  release(id: string): boolean {
    const slot = this.slots.get(id);
    if (!slot) return false;
    this.end(slot, 'released');
    this.dispatch();
    return true;
  }

  /** Reclaims slots whose ttl passed with no transfer open and drops parked waiters that never came back. */
  reclaimExpired(): Slot[] {
    const now = this.now();
    const expired = [...this.slots.values()].filter((slot) => slot.openTransfers === 0 && slot.expiresAt <= now);
    for (const slot of expired) this.end(slot, 'expired');
    for (const waiter of [...this.small, ...this.cold, ...this.updating]) {
      if (waiter.parkedUntil !== undefined && waiter.parkedUntil <= now) this.remove(waiter);
    }
    this.dispatch();
    return expired;
  }

  stats(): SlotQueueStats {
    return { active: this.slots.size, waiting: this.small.length + this.cold.length + this.updating.length };
  }

  /** Stops the sweeper; waiters stay unanswered (the server is closing their connections). */
  close(): void {
    clearInterval(this.sweeper);
  }

  private dispatch(): void {
    for (;;) {
      const regular = this.slots.size - this.smallHeld < this.maxConcurrent;
      const small = this.small[0];
      if (small && (regular || this.smallHeld < this.smallPullSlots)) this.grant(small, !regular);
      else if (regular && (this.cold[0] ?? this.updating[0])) this.grant((this.cold[0] ?? this.updating[0])!, false);
      else break;
    }
    this.options.onChange?.(this.stats());
  }

  /** Small pulls first, then cold nodes, then other updates. */
  private lineOf(request: SlotRequest): Waiter[] {
    if (!request.cold && request.bytes > 0 && request.bytes <= this.smallPullBytes) return this.small;
    return request.cold ? this.cold : this.updating;
  }

  private grant(waiter: Waiter, extra: boolean): void {
    this.remove(waiter);
    const now = this.now();
    // A parked waiter is between two long-polls: its next ask claims the slot (and renews it); if
    // that ask never comes, the slot goes back when the place would have been given up.
    const expiresAt = Math.min(now + this.ttlMs, waiter.parkedUntil ?? Infinity);
    const slot: Slot = { ...waiter.request, id: randomUUID(), askedAt: waiter.askedAt, grantedAt: now, expiresAt, openTransfers: 0, small: extra };
    if (extra) this.smallHeld += 1;
    this.slots.set(slot.id, slot);
    this.slotByKey.set(waiter.key, slot);
    waiter.slot = slot;
    this.options.onGrant?.(slot, (now - waiter.askedAt) / 1000);
    for (const listener of waiter.listeners) listener(slot);
    waiter.listeners.clear();
  }

  private end(slot: Slot, reason: 'released' | 'expired'): void {
    this.slots.delete(slot.id);
    if (slot.small) this.smallHeld -= 1;
    const key = keyOf(slot.node, slot.app);
    if (this.slotByKey.get(key) === slot) this.slotByKey.delete(key);
    this.options.onEnd?.(slot, reason);
  }

  private remove(waiter: Waiter): void {
    const line = this.lineOf(waiter.request);
    const index = line.indexOf(waiter);
    if (index >= 0) line.splice(index, 1);
    if (this.waiterByKey.get(waiter.key) === waiter) this.waiterByKey.delete(waiter.key);
  }

  private positionOf(waiter: Waiter): number {
    if (waiter.slot) return 0;
    const line = this.lineOf(waiter.request);
    const index = line.indexOf(waiter);
    if (index < 0) return 0;
    const ahead = line === this.small ? 0 : line === this.cold ? this.small.length : this.small.length + this.cold.length;
    return index + 1 + ahead;
  }

  private ticketFor(waiter: Waiter): SlotTicket {
    return {
      granted: () => waiter.slot,
      wait: (signal) => this.waitFor(waiter, signal),
      position: () => this.positionOf(waiter),
      park: () => {
        if (waiter.slot || waiter.listeners.size > 0 || !this.waiterByKey.has(waiter.key)) return;
        waiter.parkedUntil = this.now() + this.parkMs;
        this.dispatch();
      },
      leave: () => {
        if (waiter.slot || waiter.listeners.size > 0) return;
        this.remove(waiter);
        this.dispatch();
      },
    };
  }

  private waitFor(waiter: Waiter, signal: AbortSignal): Promise<Slot> {
    if (waiter.slot) return Promise.resolve(waiter.slot);
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onGrant = (slot: Slot) => {
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

function keyOf(node: string, app: string): string {
  return `${node}\u0000${app}`;
}
