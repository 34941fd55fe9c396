import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CodesyncError } from '../../protocol/errors.js';
import { isMissing } from '../../protocol/runtime/durable-write.js';
import { readExactly } from '../store/read-exactly.js';
import { fileSlabs } from './file-slabs.js';
import { sendSlabStream } from './slab-send.js';
/** Bodies up to this size are read whole, and kept: a one-file delta is a few hundred bytes. */
const KEPT_MAX_BYTES = 16 * 1024;
/** Steps kept per release: nodes come from a few bases at most, and retained releases are few. */
const KEPT_BASES = 4;
/**
 * Small manifest bodies (`GET .../releases/<seq>/manifest[?base=]`) kept in memory, so the 20
 * nodes taking a one-file change at once cost the server no file reads. Kept by the release's
 * summary object (and the base's): a pruned release, or one of an app deleted and made again,
 * is another object, so nothing kept can answer for it, and its bodies go with it.
 */
export class ReleaseBodies {
    kept = new WeakMap();
    /**
     * Answers with the body of `release` (from `base`, if given) that lies in `file`, a file written
     * once and never changed; one pruned meanwhile is RELEASE_NOT_FOUND.
     */
    async send(reply, release, base, file, app) {
        reply.type('application/json; charset=utf-8');
        const step = base ?? release;
        const kept = this.kept.get(release)?.get(step);
        if (kept)
            return reply.send(kept);
        const handle = await openBody(await file(), app, release.seq);
        try {
            const { size } = await handle.stat();
            if (size > KEPT_MAX_BYTES)
                return await sendFile(reply, handle, size);
            const bytes = await readExactly(handle, size, `${app} release ${release.seq}'s body file`);
            await handle.close();
            this.keep(release, step, bytes);
            return reply.send(bytes);
        }
        catch (err) {
            await handle.close().catch(() => { });
            throw err;
        }
    }
    keep(release, step, bytes) {
        let steps = this.kept.get(release);
        if (!steps)
            this.kept.set(release, (steps = new Map()));
        if (steps.size >= KEPT_BASES)
            steps.delete(steps.keys().next().value);
        steps.set(step, bytes);
    }
}
async function openBody(path, app, seq) {
    try {
        return await open(path, 'r');
    }
    catch (err) {
        if (isMissing(err))
            throw new CodesyncError('RELEASE_NOT_FOUND', `app ${app} has no release ${seq} (it was just pruned)`);
        throw err;
    }
}
/**
 * Streams a large body in slabs handed back once written, not a buffer per chunk: a 100 000-file
 * record is 15 MB that every cold node reads. A file never grows, so more than `size` is a fault.
 * The handle is closed when the body is.
 */
async function sendFile(reply, handle, size) {
    reply.header('content-length', size);
    const body = Readable.from(fileSlabs(handle, size), { objectMode: false });
    body.once('close', () => void handle.close().catch(() => { }));
    return sendSlabStream(reply.request, reply, body);
}
//# sourceMappingURL=release-bodies.js.map