import { libcFunction } from '../../protocol/runtime/libc.js';
/** ioprio_set(2)'s syscall number per architecture; glibc has no wrapper for it. */
const SYS_IOPRIO_SET = { x64: 251, arm64: 30 };
const IOPRIO_WHO_PROCESS = 1;
const IOPRIO_CLASS_SHIFT = 13;
const CLASS_VALUE = { idle: 3, none: 0 };
let syscall;
/**
 * Sets the IO scheduling class of the calling thread (who 0 of IOPRIO_WHO_PROCESS is the calling
 * task on Linux, so only this thread changes): nice 19 lowers a clone thread's CPU share but not
 * its IO, and its directory fsyncs queue at the same priority as a sync's on the critical path
 * (mq-deadline and bfq dispatch the idle class only when nothing else waits). Returns false where
 * it cannot be set (not Linux, an architecture without a known number, no glibc, refused).
 */
export function setThreadIoClass(ioClass) {
    const number = SYS_IOPRIO_SET[process.arch];
    if (number === undefined || process.platform !== 'linux')
        return false;
    if (syscall === undefined)
        syscall = libcFunction('long syscall(long number, ...)');
    if (syscall === null)
        return false;
    try {
        return syscall(number, 'int', IOPRIO_WHO_PROCESS, 'int', 0, 'int', CLASS_VALUE[ioClass] << IOPRIO_CLASS_SHIFT) === 0;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=thread-io-priority.js.map