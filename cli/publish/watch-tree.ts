import { watch } from 'chokidar';
import { once } from 'node:events';

export interface WatchOptions {
  /** Quiet time after the last change before publishing again. */
  debounceMs: number;
  /** Paths to ignore (the hash cache file, when it lives inside the tree). */
  ignore?: (path: string) => boolean;
  signal: AbortSignal;
}

/**
 * Publishes once, then again each time changes under `root` settle, until `signal` aborts. Never
 * runs two publishes at once: changes seen during a publish trigger one more right after it.
 * The watcher starts before the first publish, so no change slips between the two.
 */
export async function watchTree(root: string, publish: () => Promise<void>, options: WatchOptions): Promise<void> {
  const { signal } = options;
  const watcher = watch(root, { ignoreInitial: true, followSymlinks: false, ...(options.ignore ? { ignored: options.ignore } : {}) });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;

  const run = async (): Promise<void> => {
    do {
      dirty = false;
      await publish();
    } while (dirty && !signal.aborted);
  };
  const trigger = (): void => {
    timer = undefined;
    if (signal.aborted) return;
    if (running) {
      dirty = true;
      return;
    }
    running = run().finally(() => (running = undefined));
  };
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(trigger, options.debounceMs);
  });

  try {
    if (!signal.aborted) await Promise.race([once(watcher, 'ready'), once(signal, 'abort')]);
    trigger();
    if (!signal.aborted) await once(signal, 'abort');
  } finally {
    clearTimeout(timer);
    await watcher.close();
    await running;
  }
}
