import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestDigest } from '../../protocol/digest.js';
import { BlobStore } from './blob-store.js';
import { DurableFs, readdirOrEmpty } from './durable-fs.js';
import { parseAppRecord, parseReleaseRecord } from './records.js';
/**
 * Checks a store directory (of a stopped server, or a live one between writes): every app record
 * and release record parses, seqs lie below the app's nextSeq, each digest matches its entries,
 * every file's blob exists and hashes right, and every delta file is whole. Returns the problems found; none means consistent.
 */
export async function checkStore(dataDir) {
    const problems = [];
    const blobs = new BlobStore(new DurableFs(dataDir));
    const verified = new Map();
    const appsDir = join(dataDir, 'apps');
    for (const app of await readdirOrEmpty(appsDir)) {
        let nextSeq = Infinity;
        try {
            nextSeq = parseAppRecord(await readFile(join(appsDir, app, 'app.json'), 'utf8')).nextSeq;
        }
        catch (err) {
            problems.push(`${app}/app.json: ${err.message}`);
        }
        const releasesDir = join(appsDir, app, 'releases');
        for (const file of await readdirOrEmpty(join(releasesDir, 'deltas'))) {
            // Deltas are derived, but one under its name must be whole: nodes are served it as it lies.
            const where = `${app}/releases/deltas/${file}`;
            try {
                const delta = JSON.parse(await readFile(join(releasesDir, 'deltas', file), 'utf8'));
                if (`${String(delta.seq)}-from-${String(delta.base)}.json` !== file)
                    problems.push(`${where}: holds the step ${String(delta.base)} -> ${String(delta.seq)}`);
            }
            catch (err) {
                problems.push(`${where}: ${err.message}`);
            }
        }
        for (const file of await readdirOrEmpty(releasesDir)) {
            if (file === 'deltas')
                continue;
            const where = `${app}/releases/${file}`;
            try {
                const record = parseReleaseRecord(await readFile(join(releasesDir, file), 'utf8'));
                if (`${record.seq}.json` !== file)
                    problems.push(`${where}: holds seq ${record.seq}`);
                // A record may be one step ahead of app.json after a crash; the loader accounts for it.
                if (record.seq > nextSeq)
                    problems.push(`${where}: seq beyond nextSeq ${nextSeq}`);
                if (manifestDigest(record.entries) !== record.digest)
                    problems.push(`${where}: digest does not match entries`);
                for (const entry of record.entries) {
                    if (entry.type !== 'file')
                        continue;
                    if (!verified.has(entry.sha256))
                        verified.set(entry.sha256, await blobs.verify(entry.sha256));
                    if (!verified.get(entry.sha256))
                        problems.push(`${where}: blob ${entry.sha256} of ${entry.path} is missing or damaged`);
                }
            }
            catch (err) {
                problems.push(`${where}: ${err.message}`);
            }
        }
    }
    return problems;
}
//# sourceMappingURL=fsck.js.map