import t from 'tap';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
/** ioprio_get(2) on x64 Linux, read through the same libc binding the agent uses. */
const SYS_IOPRIO_GET = 252;
const IOPRIO_WHO_PROCESS = 1;
function ioClassOfThisThread() {
    const koffi = createRequire(import.meta.url)('koffi');
    const syscall = koffi.load('libc.so.6').func('long syscall(long number, ...)');
    return syscall(SYS_IOPRIO_GET, 'int', IOPRIO_WHO_PROCESS, 'int', 0) >> 13;
}
t.test('a thread put in the idle IO class is alone in it: the agent keeps its own', { skip: process.platform !== 'linux' || process.arch !== 'x64' ? 'ioprio numbers checked on x64 Linux only' : false }, async (t) => {
    const module = new URL('../../../agent/sync/thread-io-priority.js', import.meta.url).href;
    const before = ioClassOfThisThread();
    const source = `(async () => {
    const { parentPort } = await import('node:worker_threads');
    const { createRequire } = await import('node:module');
    const { setThreadIoClass } = await import(${JSON.stringify(module)});
    const koffi = createRequire(${JSON.stringify(module)})('koffi');
    const syscall = koffi.load('libc.so.6').func('long syscall(long number, ...)');
    const get = () => syscall(${SYS_IOPRIO_GET}, 'int', ${IOPRIO_WHO_PROCESS}, 'int', 0) >> 13;
    const set = setThreadIoClass('idle');
    const idle = get();
    setThreadIoClass('none');
    parentPort.postMessage({ set, idle, after: get() });
  })()`;
    const worker = new Worker(source, { eval: true });
    const reply = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
    });
    t.same(reply, { set: true, idle: 3, after: 0 }, 'the thread went to the idle class (3) and back to none (0)');
    t.equal(ioClassOfThisThread(), before, 'the main thread kept its class');
});
//# sourceMappingURL=thread-io-priority.test.js.map