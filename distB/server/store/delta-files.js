import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readdirOrEmpty } from './durable-fs.js';
const NAME = /^(\d+)-from-(\d+)\.json$/;
/**
 * Manifest deltas as files, `apps/<app>/releases/deltas/<seq>-from-<base>.json`, each the exact
 * body of `GET .../releases/<seq>/manifest?base=<base>`: written once (the step from the previous
 * release at publish, any other step the first time a node asks for it), then served as a static
 * file to every node making that step. Written like records (temp, fsync, rename), so a file
 * under its name is always whole; a lost one is only made again.
 */
export class DeltaFiles {
    fs;
    dirOf;
    /** Deltas being made, by path: nodes asking for the same step at once share one computation. */
    making = new Map();
    constructor(fs, dirOf) {
        this.fs = fs;
        this.dirOf = dirOf;
    }
    path(app, seq, base) {
        return join(this.dirOf(app), `${seq}-from-${base}.json`);
    }
    async write(delta) {
        await this.fs.writeFile(this.path(delta.app, delta.seq, delta.base), JSON.stringify(delta));
    }
    /** The delta's file, made with `compute` when it is not there yet. */
    async ensure(app, seq, base, compute) {
        const path = this.path(app, seq, base);
        if (await exists(path))
            return path;
        let making = this.making.get(path);
        if (!making) {
            making = (async () => {
                await this.write(await compute());
                return path;
            })().finally(() => this.making.delete(path));
            this.making.set(path, making);
        }
        return making;
    }
    /** Removes every delta from or to one of `seqs` (their releases were pruned). */
    async remove(app, seqs) {
        await this.removeWhere(app, (seq, base) => seqs.has(seq) || seqs.has(base));
    }
    /** Removes every delta from or to a seq not among `retained` (at start: see ReleaseStore.appendRelease). */
    async removeExcept(app, retained) {
        await this.removeWhere(app, (seq, base) => !retained.has(seq) || !retained.has(base));
    }
    async removeWhere(app, doomed) {
        for (const name of await readdirOrEmpty(this.dirOf(app))) {
            const match = NAME.exec(name);
            if (!match || !doomed(Number(match[1]), Number(match[2])))
                continue;
            await unlink(join(this.dirOf(app), name)).catch((err) => {
                if (err.code !== 'ENOENT')
                    throw err;
            });
        }
    }
}
async function exists(path) {
    try {
        await stat(path);
        return true;
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return false;
        throw err;
    }
}
/** The body of `GET .../releases/<seq>/manifest?base=<base>` for the step from `base` to `record`. */
export function deltaBody(record, base, delta) {
    const body = { app: record.app, seq: record.seq, base, digest: record.digest, ...delta };
    if (record.signature)
        body.signature = record.signature;
    return body;
}
//# sourceMappingURL=delta-files.js.map