/**
 * The seam between the sync engine and the server's pull meter (docs/throttling.md). The engine takes a
 * lease before fetching blobs, sends `lease.slot` in the `x-codesync-slot` header of every blob
 * request, and releases the lease once the last byte is read, or when the fetch fails or is
 * aborted. A node that needs no blobs takes no lease at all.
 */
export interface PullSlots {
  acquire(request: PullSlotRequest): Promise<PullSlotLease>;
}

export interface PullSlotRequest {
  app: string;
  /** Bytes the node is about to fetch, for the server's accounting. */
  bytes: number;
  /** True when the node holds no release of the app yet: served before updating nodes. */
  cold: boolean;
  signal: AbortSignal;
}

export interface PullSlotLease {
  /** Slot id for the `x-codesync-slot` header; undefined when the server does not meter pulls. */
  readonly slot: string | undefined;
  /** Gives the slot back; safe to call more than once. */
  release(): Promise<void>;
}

/** For servers that do not meter pulls. */
export const unmeteredSlots: PullSlots = {
  acquire: async () => ({ slot: undefined, release: async () => {} }),
};
