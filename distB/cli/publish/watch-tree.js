import { watch } from 'chokidar';
import { once } from 'node:events';
import { join, relative, sep } from 'node:path';
import { IGNORE_FILE, loadTreeFilter } from './tree-filter.js';
/**
 * Publishes once, then again each time changes under `root` settle, until `signal` aborts. Never
 * runs two publishes at once: changes seen during a publish trigger one more right after it.
 * The watcher starts before the first publish, so no change slips between the two.
 */
export async function watchTree(root, publish, options) {
    const { signal } = options;
    // Read again whenever .codesyncignore changes, so an edit to it applies from the next event on.
    let filter = loadTreeFilter(root, options.exclude);
    const ignored = (path, stats) => {
        if (options.ignore?.(path))
            return true;
        const rel = relative(root, path).split(sep).join('/');
        // The ignore file is no part of a release, but a change to it changes what is.
        if (rel === '' || rel === IGNORE_FILE || rel.startsWith('..'))
            return false;
        return filter.excludes(rel, stats?.isDirectory() ?? false);
    };
    const watcher = watch(root, { ignoreInitial: true, followSymlinks: false, ignored });
    let timer;
    let running;
    let dirty = false;
    const run = async () => {
        do {
            dirty = false;
            await publish();
        } while (dirty && !signal.aborted);
    };
    const trigger = () => {
        timer = undefined;
        if (signal.aborted)
            return;
        if (running) {
            dirty = true;
            return;
        }
        running = run().finally(() => (running = undefined));
    };
    watcher.on('all', (_event, path) => {
        if (path === join(root, IGNORE_FILE))
            filter = loadTreeFilter(root, options.exclude);
        clearTimeout(timer);
        timer = setTimeout(trigger, options.debounceMs);
    });
    try {
        if (!signal.aborted)
            await Promise.race([once(watcher, 'ready'), once(signal, 'abort')]);
        trigger();
        if (!signal.aborted)
            await once(signal, 'abort');
    }
    finally {
        clearTimeout(timer);
        await watcher.close();
        await running;
    }
}
//# sourceMappingURL=watch-tree.js.map