import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { usageError } from '../fail.js';
/** Bytes of the command's output kept for the ack: the tail, where errors usually are. */
const OUTPUT_TAIL_BYTES = 2048;
/**
 * Runs `argv` (no shell) with the release in its environment. Its output goes to our stderr, so it
 * shows in the pod's log, and its tail goes into the ack.
 */
export function commandAction(argv) {
    const [file, ...args] = argv;
    if (!file)
        throw usageError('reload-hook needs a command after --, or --signal with --pid-file');
    return (event) => new Promise((resolve) => {
        const env = { ...process.env, CODESYNC_APP: event.app, CODESYNC_SEQ: String(event.seq), CODESYNC_PATH: event.path, CODESYNC_DIGEST: event.digest };
        const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let tail = Buffer.alloc(0);
        const collect = (chunk) => {
            process.stderr.write(chunk);
            tail = Buffer.concat([tail, chunk]);
            if (tail.length > OUTPUT_TAIL_BYTES)
                tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        child.once('error', (err) => resolve({ ok: false, message: `${file}: ${err.message}` }));
        child.once('close', (code, signal) => {
            const output = tail.toString('utf8').trim();
            if (code === 0)
                resolve({ ok: true, message: output });
            else
                resolve({ ok: false, message: `${file} ${signal ? `killed by ${signal}` : `exited with code ${code}`}${output ? `: ${output}` : ''}`.slice(-OUTPUT_TAIL_BYTES) });
        });
    });
}
/** Sends `signalName` to the pid written in `pidFile`, read afresh each time (the server may restart). */
export function signalAction(signalName, pidFile) {
    const signal = parseSignal(signalName);
    return async () => {
        try {
            const text = (await readFile(pidFile, 'utf8')).trim();
            const pid = Number(text);
            if (!Number.isInteger(pid) || pid <= 0)
                return { ok: false, message: `${pidFile} does not hold a pid: ${JSON.stringify(text.slice(0, 40))}` };
            process.kill(pid, signal);
            return { ok: true, message: `sent ${signal} to pid ${pid}` };
        }
        catch (err) {
            return { ok: false, message: `cannot send ${signal} to the pid in ${pidFile}: ${err.message}` };
        }
    };
}
/** `USR2`, `SIGUSR2` or `hup` → `SIGUSR2` / `SIGHUP`. */
export function parseSignal(value) {
    const name = (value.toUpperCase().startsWith('SIG') ? value.toUpperCase() : `SIG${value.toUpperCase()}`);
    if (!Object.hasOwn(constants.signals, name))
        throw usageError(`--signal: unknown signal ${JSON.stringify(value)}`);
    return name;
}
//# sourceMappingURL=reload-action.js.map