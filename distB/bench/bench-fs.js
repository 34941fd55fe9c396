import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { numberFlag } from './bench-args.js';
/** The filesystems `--fs` makes: those whose mkfs makes a journaled filesystem by default. */
const FS_TYPES = ['ext4', 'xfs'];
/** `--fs-size` when not given, GiB: room for propagation's 20 copies of 10 000 files and its 100 000-file trees. */
const DEFAULT_FS_SIZE_GIB = 24;
/** Why a bench could not have the filesystem it asked for; `code` is stable. */
export class BenchFsError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = 'BenchFsError';
    }
}
/** The work directory `args` ask for: `prefix`XXXXXX under the OS temp dir, on a fresh `--fs` filesystem if given. */
export async function benchWorkDir(args, prefix) {
    const at = args.indexOf('--fs');
    if (at < 0) {
        const path = await mkdtemp(join(tmpdir(), prefix));
        return { path, filesystem: `${describeMount(path)} (the temp dir's own filesystem, as it is)`, dispose: () => rm(path, { recursive: true, force: true }) };
    }
    const type = args[at + 1];
    if (!FS_TYPES.includes(type))
        throw new BenchFsError('BENCH_FS_TYPE', `--fs takes one of ${FS_TYPES.join(', ')}, not ${JSON.stringify(type ?? '')}`);
    if (process.getuid?.() !== 0)
        throw new BenchFsError('BENCH_FS_NOT_ROOT', `--fs ${type} mounts a filesystem image and needs root; run the bench as root or without --fs`);
    return freshFilesystem(type, numberFlag(args, 'fs-size', DEFAULT_FS_SIZE_GIB), prefix);
}
async function freshFilesystem(type, sizeGiB, prefix) {
    const base = await mkdtemp(join(tmpdir(), `${prefix}fs-`));
    const image = join(base, `${type}.img`);
    const mountPoint = join(base, 'mnt');
    let mounted = false;
    // Synchronous, so it also runs from a signal handler and on exit: a lazy unmount detaches the
    // filesystem even while a killed child still holds a file there; the image's space comes back
    // when the last holder closes it.
    const removeNow = () => {
        if (mounted) {
            try {
                execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
            }
            catch {
                // Already gone: nothing to detach.
            }
            mounted = false;
        }
        rmSync(base, { recursive: true, force: true });
    };
    const onSignal = (signal) => {
        // A signal sent to the bench alone leaves its server and agents running with files open on
        // the filesystem (the bench's finally does not run): they go first.
        killChildren();
        removeNow();
        process.kill(process.pid, signal);
    };
    const forget = () => {
        process.off('exit', removeNow);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    };
    process.once('exit', removeNow);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        await writeFile(image, '');
        await truncate(image, sizeGiB * 1024 ** 3);
        // ext4: inode tables and journal written now, not by a kernel thread during the bench.
        const mkfsArgs = type === 'ext4' ? ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image] : ['-q', '-f', image];
        await runTool(`mkfs.${type}`, mkfsArgs, 'BENCH_FS_MKFS');
        await mkdir(mountPoint);
        await runTool('mount', ['-o', 'loop', '-t', type, image, mountPoint], 'BENCH_FS_MOUNT');
        mounted = true;
    }
    catch (error) {
        forget();
        removeNow();
        throw error;
    }
    const filesystem = `${describeMount(mountPoint)}, made fresh for this run (${sizeGiB} GiB sparse image, loop-mounted)`;
    return {
        path: mountPoint,
        filesystem,
        dispose: async () => {
            forget();
            if (mounted) {
                // Children just killed may still be closing files: a few tries before a lazy unmount.
                for (let attempt = 0; attempt < 5 && mounted; attempt++) {
                    mounted = !(await runTool('umount', [mountPoint], 'BENCH_FS_MOUNT').then(() => true, () => false));
                    if (mounted)
                        await new Promise((done) => setTimeout(done, 500));
                }
            }
            removeNow();
        },
    };
}
/** SIGKILL to every process this one started that is still alive (from /proc's children lists). */
function killChildren() {
    const tasks = `/proc/${process.pid}/task`;
    for (const task of readdirSync(tasks)) {
        let children = '';
        try {
            children = readFileSync(join(tasks, task, 'children'), 'utf8');
        }
        catch {
            continue;
        }
        for (const pid of children.split(' ').filter(Boolean).map(Number)) {
            try {
                process.kill(pid, 'SIGKILL');
            }
            catch {
                // Ended meanwhile.
            }
        }
    }
    // Their open files close as they die, which a lazy unmount then waits for; give them a moment.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
}
/**
 * `fstype on source (options)` of the mount that holds `path` (the last mount in
 * /proc/self/mountinfo whose mount point contains it), and for ext4 whether it has a journal (jbd2
 * lists each journaled device under /proc/fs/jbd2): the thing these figures depend on most.
 */
function describeMount(path) {
    const real = realpathSync(path);
    let found;
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
        // `id parent major:minor root mountpoint options [optional...] - fstype source superoptions`
        const [before, after] = line.split(' - ');
        if (!before || !after)
            continue;
        const mountPoint = before.split(' ')[4].replace(/\\(\d{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
        if (real !== mountPoint && !real.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`))
            continue;
        const [fstype = '?', source = '?'] = after.split(' ');
        found = { fstype, source, options: before.split(' ')[5] ?? '' };
    }
    if (!found)
        return 'unknown filesystem';
    const journal = found.fstype === 'ext4' ? (existsSync(`/proc/fs/jbd2/${basename(found.source)}-8`) ? ', with a journal' : ', WITHOUT a journal') : '';
    return `${found.fstype}${journal} on ${found.source} (${found.options})`;
}
/** Runs `command`; its failure (or absence) becomes a BenchFsError with its stderr. */
async function runTool(command, args, code) {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const outcome = await new Promise((settle) => {
        child.once('error', settle);
        child.once('exit', settle);
    });
    if (outcome instanceof Error)
        throw new BenchFsError(code, `${command}: ${outcome.message}${command.startsWith('mkfs.xfs') ? ' (apt-get install xfsprogs)' : ''}`);
    if (outcome !== 0)
        throw new BenchFsError(code, `${command} ${args.join(' ')} exited ${outcome}: ${stderr.trim()}`);
}
//# sourceMappingURL=bench-fs.js.map