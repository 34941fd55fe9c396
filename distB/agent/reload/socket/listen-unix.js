import { chmod, chown, lstat, mkdir, readFile, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { CodesyncError } from '../../../protocol/errors.js';
/**
 * Listens on a Unix socket path. A socket file left by a crashed agent is replaced; a live agent
 * on the same path is refused with SOCKET_IN_USE instead of being silently unlinked from under it.
 */
export async function listenUnix(server, options) {
    await mkdir(dirname(options.path), { recursive: true, mode: 0o755 });
    try {
        await listenOnce(server, options.path);
    }
    catch (err) {
        if (err.code !== 'EADDRINUSE')
            throw err;
        await removeStaleSocket(options.path);
        await listenOnce(server, options.path);
    }
    await chmod(options.path, options.mode);
    if (options.group !== undefined)
        await chown(options.path, -1, await resolveGid(options.group));
}
function listenOnce(server, path) {
    return new Promise((resolve, reject) => {
        const onError = (err) => {
            server.off('listening', onListening);
            reject(err);
        };
        const onListening = () => {
            server.off('error', onError);
            resolve();
        };
        server.once('error', onError).once('listening', onListening).listen(path);
    });
}
async function removeStaleSocket(path) {
    const stat = await lstat(path);
    if (!stat.isSocket())
        throw new CodesyncError('SOCKET_IN_USE', `${path} exists and is not a socket; remove it or choose another --socket`);
    if (await isLive(path))
        throw new CodesyncError('SOCKET_IN_USE', `another agent is listening on ${path}; stop it or choose another --socket`);
    await unlink(path);
}
/** A listener too busy to accept within this time is still a live one. */
const PROBE_TIMEOUT_MS = 2000;
function isLive(path) {
    return new Promise((resolve, reject) => {
        const probe = createConnection(path);
        probe.setTimeout(PROBE_TIMEOUT_MS, () => {
            probe.destroy();
            resolve(true);
        });
        probe.once('connect', () => {
            probe.destroy();
            resolve(true);
        });
        probe.once('error', (err) => {
            if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT')
                resolve(false);
            else
                reject(err);
        });
    });
}
/** Node has no getgrnam, so a group name is looked up in /etc/group. */
async function resolveGid(group) {
    if (typeof group === 'number' || /^\d+$/.test(group))
        return Number(group);
    const lines = (await readFile('/etc/group', 'utf8')).split('\n');
    for (const line of lines) {
        const [name, , gid] = line.split(':');
        if (name === group && gid !== undefined && /^\d+$/.test(gid))
            return Number(gid);
    }
    throw new CodesyncError('USAGE', `--socket-group: no group named ${JSON.stringify(group)} in /etc/group`);
}
//# sourceMappingURL=listen-unix.js.map