import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap V8 may keep past the last release before a full collection is worth its ~10-30 ms. */
const SLACK_BYTES = 4 * 1024 * 1024;

let collect: (() => void) | null | undefined;

/**
 * Gives back the heap a sync grew: a cold sync of 10 000 files leaves ~20 MB of V8 pages that
 * hold only garbage, and an idle agent allocates too little for V8 to collect them on its own
 * (docs/operations.md, Agent memory). Runs a full collection when the heap V8 holds has grown by
 * more than SLACK_BYTES since the last one, so a steady stream of small releases never pays it.
 * The collector is reached without `--expose-gc` on the command line: the flag set at run time
 * exposes `gc` to contexts created after it.
 */
export class HeapRelease {
  private baseline = getHeapStatistics().total_heap_size;

  /** Collects when the heap outgrew the last baseline; returns true when it did. */
  maybeRelease(): boolean {
    if (getHeapStatistics().total_heap_size - this.baseline <= SLACK_BYTES) return false;
    const gc = collector();
    if (!gc) return false;
    gc();
    this.baseline = getHeapStatistics().total_heap_size;
    return true;
  }
}

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}
