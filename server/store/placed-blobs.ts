/** Names a generation holds at most: two of them bound the memory (~3.5 MiB of names at most). */
const GENERATION_NAMES = 16_384;
/** A generation is retired after this long: only what was placed lately is vouched for. */
const GENERATION_MS = 5 * 60_000;

/**
 * The blobs this process put under their names lately (or found there), so the publish that
 * follows an upload (a cold publish names every blob it just sent) need not list or stat them
 * again: at 10 000 files, the listing of every prefix directory was ~50 ms of the event loop and
 * 256 trips to the thread pool, on the way to the client's answer. GC forgets a blob here as it
 * deletes it (under the exclusive blob lock, which `presence` never runs beside), so this never
 * vouches for a blob GC removed. Names live two generations, each of at most GENERATION_NAMES
 * and GENERATION_MS (so names placed in the last 5–10 minutes): a publish whose blobs are not all here is looked up on disk as before.
 */
export class PlacedBlobs {
  private current = new Set<string>();
  private previous = new Set<string>();
  private startedAt = Date.now();

  add(sha256: string): void {
    this.rotate();
    if (this.current.size >= GENERATION_NAMES) this.retire();
    this.current.add(sha256);
  }

  /** GC deleted it. */
  forget(sha256: string): void {
    this.current.delete(sha256);
    this.previous.delete(sha256);
  }

  /** Whether every one of `names` was placed lately (and not deleted since). */
  holdsAll(names: readonly string[]): boolean {
    this.rotate();
    if (names.length > this.current.size + this.previous.size) return false;
    for (const name of names) if (!this.current.has(name) && !this.previous.has(name)) return false;
    return true;
  }

  private rotate(): void {
    const age = Date.now() - this.startedAt;
    if (age < GENERATION_MS) return;
    this.retire();
    // The retired generation is old as a whole: nothing is vouched for any more.
    if (age >= 2 * GENERATION_MS) this.previous = new Set();
  }

  private retire(): void {
    this.previous = this.current;
    this.current = new Set();
    this.startedAt = Date.now();
  }
}
