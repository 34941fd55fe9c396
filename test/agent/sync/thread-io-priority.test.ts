import t from 'tap';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { currentThreadId, setThreadIoClass } from '../../../agent/sync/thread-io-priority.js';

/** ioprio_get(2) on x64 Linux, read through the same libc binding the agent uses. */
const SYS_IOPRIO_GET = 252;
const IOPRIO_WHO_PROCESS = 1;

/** The IO class of thread `tid` of this process (0: this thread). */
function ioClassOf(tid: number): number {
  const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  const syscall = koffi.load('libc.so.6').func('long syscall(long number, ...)') as (...args: unknown[]) => number;
  return syscall(SYS_IOPRIO_GET, 'int', IOPRIO_WHO_PROCESS, 'int', tid) >> 13;
}

t.test('a worker put in the idle IO class by its tid, from the main thread, is alone in it', { skip: process.platform !== 'linux' || process.arch !== 'x64' ? 'ioprio numbers checked on x64 Linux only' : false }, async (t) => {
  const module = new URL('../../../agent/sync/thread-io-priority.js', import.meta.url).href;
  const before = ioClassOf(0);
  // The worker only reads its tid and waits: it loads no koffi (thread-io-priority.ts says why).
  const source = `(async () => {
    const { parentPort } = await import('node:worker_threads');
    const { currentThreadId } = await import(${JSON.stringify(module)});
    parentPort.postMessage(currentThreadId());
    parentPort.once('message', () => parentPort.close());
  })()`;
  const worker = new Worker(source, { eval: true });
  t.teardown(() => worker.terminate());
  const tid = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  t.not(tid, currentThreadId(), 'the worker has a tid of its own');
  t.equal(ioClassOf(tid), before, 'it starts in the class of the thread that made it');
  t.ok(setThreadIoClass(tid, 'idle'), 'set to idle');
  t.equal(ioClassOf(tid), 3, 'the worker is in the idle class (3)');
  t.equal(ioClassOf(0), before, 'the main thread kept its class');
  t.ok(setThreadIoClass(tid, 'none'), 'set back');
  t.equal(ioClassOf(tid), 0, 'and back to none');
  worker.postMessage('done');
});

t.test('currentThreadId is this process: the main thread\'s tid is its pid', async (t) => {
  t.equal(currentThreadId(), process.pid);
});
