import { CanonicalLines } from '../compact-manifest-builder.js';
import { scanEntriesObject } from '../entries-json-scan.js';
import { LIMITS } from '../limits.js';
import { parseJsonAnswer } from './json-answer.js';
import { releaseManifestOf } from './node-answers.js';
/**
 * A full manifest's answer without an object per entry alive at once (entries-json-scan.ts): at
 * 100 000 entries the body parsed whole held ~100 MiB of heap. The other members are checked
 * against what ReleaseManifestResponseSchema allows (node-answers.ts). A body the scan does not take (not JSON, not
 * that shape, more entries than the schema allows) is parsed and checked whole, so its error is
 * the one it always was.
 */
export function parseManifestAnswer(bytes, what) {
    let members;
    try {
        members = scanEntriesObject(bytes);
    }
    catch {
        members = undefined;
    }
    const entries = members?.entries;
    if (entries instanceof CanonicalLines && entries.count <= LIMITS.maxEntries) {
        const checked = releaseManifestOf({ ...members, entries: [] }, what);
        return { ...checked, entries };
    }
    const whole = releaseManifestOf(parseJsonAnswer(bytes, what), what);
    const lines = new CanonicalLines();
    for (const entry of whole.entries)
        lines.add(entry);
    return { ...whole, entries: lines };
}
//# sourceMappingURL=manifest-answer.js.map