import { applyCheckedDelta } from '../../protocol/delta-target.js';
import { CodesyncError } from '../../protocol/errors.js';
import { validateEntry } from '../../protocol/manifest.js';
import { assertEntryPath } from '../../protocol/paths.js';
/**
 * Turns a server's delta body into the release the agent would build and checks it before any
 * file is touched: each element on its own, the delta against the base it names (a path can
 * only be removed or changed if the base has it, only added if it has not), then the whole
 * target manifest with the same validation as a publish (protocol/delta-target.ts: by lookups
 * for a files-only delta on a base this agent checked under rules as strict, `baseChecked`,
 * whole otherwise). Per-entry checks alone miss what only the whole shows: a base symlink with a
 * delta file under it, a link chain leaving the tree. `rules` are the app's (external symlinks
 * only when it allows them).
 */
export function checkDeltaTarget(base, body, rules = {}, baseChecked = false) {
    if (typeof body !== 'object' || body === null)
        throw invalidDelta('the delta is not a JSON object');
    const { added, changed, removed } = body;
    if (!Array.isArray(added) || !Array.isArray(changed) || !Array.isArray(removed))
        throw invalidDelta('added, changed and removed must be arrays');
    const delta = { added: added.map(validateEntry), changed: changed.map(validateEntry), removed: [] };
    for (const path of removed) {
        assertEntryPath(path);
        delta.removed.push(path);
    }
    return { manifest: applyCheckedDelta(base, delta, rules, baseChecked).manifest, delta };
}
function invalidDelta(message) {
    return new CodesyncError('INVALID_DELTA', `manifest delta refused: ${message}`);
}
//# sourceMappingURL=target-manifest.js.map