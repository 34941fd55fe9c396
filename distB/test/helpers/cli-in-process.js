import { AsyncLocalStorage } from 'node:async_hooks';
import { reportFailure } from '../../cli/fail.js';
import { buildProgram } from '../../cli/program.js';
/**
 * `codesync ARGS` run inside the test process: the program cli/main.ts builds, parsed with that
 * argv, its stdout and stderr captured and its exit code what main.ts would set. The same code as
 * the bin; only the process boundary is skipped, which saves each run Node's start and the CLI's
 * module loading (~0.2 s of CPU, seconds on a loaded machine). runCli (a real process) stays for
 * what needs one: exit codes as the shell sees them, the bin, commands that log JSON to fd 1 or
 * run until a signal.
 */
export async function runCliInProcess(args, options = {}) {
    const refusal = notInProcess(args);
    if (refusal)
        throw new Error(`runCliInProcess: ${refusal}; use runCli`);
    // process.env is the process's: a run that sets variables must be the only one in flight.
    if (options.env && inFlight > 0)
        throw new Error('runCliInProcess: a run with env overlaps another run; await the other first');
    // As runCli: progress lines off unless `env` turns them on.
    const restoreProgress = inFlight === 0 ? setEnv({ CODESYNC_PROGRESS: 'none' }) : undefined;
    if (restoreProgress)
        restoreDefaults = restoreProgress;
    inFlight++;
    try {
        return await runNow(args, options.env);
    }
    finally {
        inFlight--;
        if (inFlight === 0)
            restoreDefaults();
    }
}
/** Why these arguments need a process of their own, or undefined. */
function notInProcess(args) {
    // pino writes these commands' logs to fd 1, past any capture; reload-hook starts through
    // main.ts's fast path, not the program.
    // (A `publish --watch` that starts watching never returns here: it runs until a signal.)
    if (['agent', 'server', 'up', 'pull', 'reload-hook'].includes(args[0] ?? ''))
        return `\`codesync ${args[0]}\` needs a process`;
    return undefined;
}
/** The run whose output a write belongs to: writes made in its async context are its own. */
const capture = new AsyncLocalStorage();
let inFlight = 0;
let restoreDefaults = () => { };
let routed = false;
async function runNow(args, env = {}) {
    routeWrites();
    const argv = [process.execPath, 'codesync', ...args];
    const restoreEnv = setEnv(env);
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const listenersBefore = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
    const output = { stdout: '', stderr: '' };
    try {
        const code = await capture.run(output, async () => {
            try {
                await (await buildProgram(argv)).parseAsync(argv);
                return 0;
            }
            catch (err) {
                return reportFailure(err);
            }
        });
        return { code, ...output };
    }
    finally {
        restoreEnv();
        // interruptSignal() listens for Ctrl-C and SIGTERM once per command: a process that ran one
        // command drops them on exit; the test process must not keep them (tap stops a file with SIGTERM).
        for (const signal of signals) {
            for (const listener of process.listeners(signal))
                if (!listenersBefore.get(signal).has(listener))
                    process.off(signal, listener);
        }
    }
}
/** Sets `env` on process.env; returns what puts the old values back. */
function setEnv(env) {
    const old = Object.entries(env).map(([key]) => [key, process.env[key]]);
    for (const [key, value] of Object.entries(env)) {
        if (value === undefined)
            delete process.env[key];
        else
            process.env[key] = value;
    }
    return () => {
        for (const [key, value] of old) {
            if (value === undefined)
                delete process.env[key];
            else
                process.env[key] = value;
        }
    };
}
/** Sends writes to process.stdout/stderr made inside a run to that run's capture; the rest (tap's own output) pass through. */
function routeWrites() {
    if (routed)
        return;
    routed = true;
    for (const key of ['stdout', 'stderr']) {
        const stream = process[key];
        const write = stream.write.bind(stream);
        stream.write = ((chunk, encoding, callback) => {
            const run = capture.getStore();
            if (!run)
                return write(chunk, encoding, callback);
            run[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
            const done = typeof encoding === 'function' ? encoding : callback;
            if (done)
                process.nextTick(done);
            return true;
        });
    }
}
//# sourceMappingURL=cli-in-process.js.map