import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { ObjectLayout } from '../cache/layout.js';
import { cloneTreeOnThisThread } from './tree-clone-build.js';
import { setThreadIoClass } from './thread-io-priority.js';
const niceAtStart = getPriority();
/** Per thread on Linux only: elsewhere setpriority(2) would change the whole agent, its syncs too. */
function setThreadNice(nice) {
    if (process.platform !== 'linux')
        return;
    try {
        setPriority(nice);
    }
    catch {
        // Not allowed here (raising needs CAP_SYS_NICE): the clone goes on at the priority it has.
    }
}
/** Back to the agent's CPU priority and IO class, if allowed. */
function hurry() {
    hurried = true;
    setThreadNice(niceAtStart);
    setThreadIoClass('none');
}
// One job at a time: tree-clone.ts sends the next only after this thread's reply to the last.
let hurried = true;
parentPort?.on('message', (message) => {
    if (message === 'hurry') {
        hurry();
        return;
    }
    const { job } = message;
    if (job.nice === undefined)
        hurry();
    else {
        hurried = false;
        setThreadNice(job.nice);
        setThreadIoClass('idle');
    }
    const manifest = CompactManifest.fromCanonicalText(Buffer.from(job.text.buffer, job.text.byteOffset, job.text.byteLength), job.lineStarts, job.pathStarts);
    const layout = new ObjectLayout(job.objectsDir);
    const objects = { path: (sha256, mode) => layout.objectPath(sha256, mode) };
    cloneTreeOnThisThread(job.dir, manifest, objects, () => hurried).then(() => parentPort?.postMessage({ ok: true, lowered: getPriority() !== niceAtStart }), (err) => parentPort?.postMessage({ ok: false, code: err?.code, message: err?.message ?? String(err), lowered: getPriority() !== niceAtStart }));
});
//# sourceMappingURL=tree-clone-thread.js.map