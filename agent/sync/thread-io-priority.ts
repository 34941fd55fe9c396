import { readlinkSync } from 'node:fs';
import { libcFunction } from '../../protocol/runtime/libc.js';

/** ioprio_set(2)'s syscall number per architecture; glibc has no wrapper for it. */
const SYS_IOPRIO_SET: Partial<Record<NodeJS.Architecture, number>> = { x64: 251, arm64: 30 };
const IOPRIO_WHO_PROCESS = 1;
const IOPRIO_CLASS_SHIFT = 13;

/** The IO scheduling classes this module sets: the idle class, or none (the class CPU nice implies). */
export type IoClass = 'idle' | 'none';

const CLASS_VALUE: Record<IoClass, number> = { idle: 3, none: 0 };

type Syscall = (number: number, ...args: unknown[]) => number;

let syscall: Syscall | null | undefined;

/**
 * The kernel's id of the calling thread (its tid), from /proc/thread-self; undefined without
 * /proc. Read by a worker thread and sent to the agent's main thread, which sets the worker's IO
 * class (setThreadIoClass), so the worker loads no koffi (protocol/runtime/worker-end.ts says why).
 */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets the IO scheduling class of thread `tid` of this process (IOPRIO_WHO_PROCESS takes a tid on
 * Linux, so only that thread changes): nice 19 lowers a clone thread's CPU share but not its IO,
 * and its directory fsyncs queue at the same priority as a sync's on the critical path
 * (mq-deadline and bfq dispatch the idle class only when nothing else waits). Returns false where
 * it cannot be set (not Linux, an architecture without a known number, no glibc, refused).
 */
export function setThreadIoClass(tid: number, ioClass: IoClass): boolean {
  const number = SYS_IOPRIO_SET[process.arch];
  if (number === undefined || process.platform !== 'linux') return false;
  if (syscall === undefined) syscall = libcFunction<Syscall>('long syscall(long number, ...)');
  if (syscall === null) return false;
  try {
    return syscall(number, 'int', IOPRIO_WHO_PROCESS, 'int', tid, 'int', CLASS_VALUE[ioClass] << IOPRIO_CLASS_SHIFT) === 0;
  } catch {
    return false;
  }
}
