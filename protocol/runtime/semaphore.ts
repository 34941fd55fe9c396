/**
 * A count of permits shared by callers that do not know each other (every upload of a server
 * shares one bound on files being written and synced). `acquire` resolves once a permit is free,
 * first come first served; each permit is handed back once with `release`.
 */
export class Semaphore {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a semaphore needs at least one permit, not ${limit}`);
    this.free = limit;
  }

  /** Permits in use. */
  get held(): number {
    return this.limit - this.free;
  }

  async acquire(): Promise<void> {
    if (this.free > 0 && this.waiting.length === 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // The permit passes straight to the first waiter, so a late caller never overtakes it.
    if (next) next();
    else if (this.free < this.limit) this.free++;
    else throw new Error('semaphore released more often than acquired');
  }
}
