import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor, WAIT_LIMIT_MS } from './wait-for.js';
/** A port nothing listens on right now (the OS picks it, then it is released). */
export async function freePort() {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address();
    await new Promise((done) => server.close(done));
    return port;
}
/**
 * Starts `rsync --daemon --no-detach --config=<dir>/rsyncd.conf --port=N` serving `modules`;
 * resolves once it accepts connections. `dir` holds the config, the log and the pid file.
 */
export async function startRsyncDaemon(dir, modules, timeoutMs = WAIT_LIMIT_MS) {
    const port = await freePort();
    const logFile = join(dir, 'rsyncd.log');
    const sections = Object.entries(modules).map(([name, module]) => {
        const lines = { path: module.path, 'read only': 'yes', ...module.options };
        return `[${name}]\n${Object.entries(lines).map(([key, value]) => `  ${key} = ${value}`).join('\n')}\n`;
    });
    const config = join(dir, 'rsyncd.conf');
    // The daemon reads as the test's own user (as root it would drop to `nobody` and miss 0600 files).
    await writeFile(config, `use chroot = no\nuid = ${process.getuid()}\ngid = ${process.getgid()}\naddress = 127.0.0.1\nlog file = ${logFile}\npid file = ${join(dir, 'rsyncd.pid')}\nlock file = ${join(dir, 'rsyncd.lock')}\n${sections.join('')}`);
    const child = spawn('rsync', ['--daemon', '--no-detach', `--config=${config}`, `--port=${port}`], { stdio: 'ignore', detached: true });
    const exited = once(child, 'exit');
    // In its own process group it would outlive a test that dies before its teardown.
    const killGroup = () => {
        try {
            process.kill(-child.pid, 'SIGKILL');
        }
        catch {
            // already gone
        }
    };
    process.once('exit', killGroup);
    void exited.then(() => process.off('exit', killGroup));
    const daemon = {
        port,
        child,
        logFile,
        async kill() {
            if (child.exitCode !== null || child.signalCode !== null)
                return;
            killGroup();
            await exited;
        },
    };
    try {
        await waitFor(`rsync --daemon on port ${port}`, async () => {
            if (child.exitCode !== null)
                throw new Error(`rsync --daemon exited ${child.exitCode} before accepting connections`);
            return accepts(port);
        }, timeoutMs, { intervalMs: 25 });
    }
    catch (err) {
        await daemon.kill();
        throw err;
    }
    return daemon;
}
function accepts(port) {
    return new Promise((resolve) => {
        const socket = connect({ port, host: '127.0.0.1' });
        socket.once('connect', () => {
            socket.destroy();
            resolve(true);
        });
        socket.once('error', () => resolve(false));
    });
}
//# sourceMappingURL=rsync-daemon.js.map