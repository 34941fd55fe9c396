import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
import { rsyncPass } from './rsync-runner.js';
/** Name of the tree under an app's mirror directory: made here, so no server path reaches rsync's command line. */
const TREE = 'tree';
/**
 * The server's copy of an app's import source, `<importDir>/<app>/tree`, kept by `rsync -a
 * --delete` so each import moves only what changed on the release host.
 *
 * A release host that CI is still writing is a moving tree. The mirror is known to equal the
 * source only when a pass finds nothing to change: the first pass brings the changes, the next
 * one must come back empty, else it brought more and another pass checks again, up to
 * `maxPasses`. A steady source costs one pass that moves nothing.
 */
export class Mirror {
    dir;
    tree;
    constructor(dir) {
        this.dir = dir;
        this.tree = join(dir, TREE);
    }
    async sync(source, options) {
        await mkdir(this.tree, { recursive: true });
        const result = { passes: 0, changes: 0, skipped: 0, skippedNames: [], bytesReceived: 0 };
        let last;
        while (result.passes < options.maxPasses) {
            last = await rsyncPass({ source, cwd: this.dir, dest: `${TREE}/`, ...options });
            result.passes++;
            result.changes += last.changes;
            result.bytesReceived += last.bytesReceived;
            if (last.changes === 0)
                return { ...result, skipped: last.skipped, skippedNames: last.skippedNames };
        }
        throw new CodesyncError('IMPORT_UNSTABLE', `the release host kept changing: each of ${result.passes} rsync passes found changes (the last ${last?.changes ?? 0}); nothing was published, the next import tries again`);
    }
}
//# sourceMappingURL=mirror.js.map