import { rename, symlink, unlink } from 'node:fs/promises';
import { tempSibling } from '../../protocol/runtime/durable-write.js';
import { flushPath } from '../cache/durable-fs.js';
/**
 * Points `current` at `target` (relative, e.g. `releases/7`) atomically: a new symlink under a
 * temp name renamed over the old one (rename(2) replaces a name in one step, as git-sync does),
 * then the app directory is flushed so the switch survives a crash.
 */
export async function switchCurrent(layout, target) {
    const temp = tempSibling(layout.current);
    await symlink(target, temp);
    try {
        await rename(temp, layout.current);
    }
    catch (err) {
        await unlink(temp).catch(() => { });
        throw err;
    }
    await flushPath(layout.dir);
}
//# sourceMappingURL=switcher.js.map