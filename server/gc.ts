import type { Logger } from 'pino';
import type { BlobStore } from './store/blob-store.js';
import type { ReleaseStore } from './store/release-store.js';

export interface GcResult {
  deleted: number;
  deletedBytes: number;
}

/**
 * Deletes blobs no retained release references. A blob younger than the grace period (by mtime,
 * which uploads and publish checks refresh) is kept: it may belong to a publish in progress.
 */
export class GarbageCollector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<GcResult> | undefined;
  private again = false;

  constructor(
    private readonly releases: ReleaseStore,
    private readonly blobs: BlobStore,
    private readonly options: { graceMs: number; intervalMs: number; logger: Logger },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.schedule(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): Promise<unknown> {
    clearInterval(this.timer);
    return this.running ?? Promise.resolve();
  }

  /** Runs soon; requests during a run coalesce into one more run. */
  schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .catch((err: unknown) => {
        this.options.logger.error({ err }, 'gc failed');
        return { deleted: 0, deletedBytes: 0 };
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
  }

  async run(): Promise<GcResult> {
    return this.releases.blobLock.withExclusive(async () => {
      const referenced = await this.releases.referencedBlobs();
      const cutoff = Date.now() - this.options.graceMs;
      const result: GcResult = { deleted: 0, deletedBytes: 0 };
      for await (const blob of this.blobs.list()) {
        if (referenced.has(blob.sha256) || blob.mtimeMs > cutoff) continue;
        await this.blobs.delete(blob.sha256);
        result.deleted++;
        result.deletedBytes += blob.size;
      }
      this.options.logger.info({ ...result, referenced: referenced.size }, 'gc done');
      return result;
    });
  }
}
