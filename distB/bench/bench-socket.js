import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ActivationFeed } from '../agent/reload/activation-feed.js';
import { startReloadSocket } from '../agent/reload/socket/reload-socket.js';
export async function startBenchSocket(prefix) {
    const work = await mkdtemp(join(tmpdir(), prefix));
    const socketPath = join(work, 'codesync.sock');
    const feed = new ActivationFeed();
    const controller = new AbortController();
    const socket = await startReloadSocket({ path: socketPath, feed, logger: pino({ level: 'warn' }), signal: controller.signal });
    const close = async () => {
        controller.abort();
        await socket.close();
        await rm(work, { recursive: true, force: true });
    };
    return { work, socketPath, feed, socket, signal: controller.signal, close };
}
//# sourceMappingURL=bench-socket.js.map