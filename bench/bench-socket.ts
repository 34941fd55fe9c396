import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ActivationFeed } from '../agent/reload/activation-feed.js';
import { startReloadSocket, type ReloadSocket } from '../agent/reload/socket/reload-socket.js';

/** The agent's real reload socket in this process, fed by hand: what the reload benches measure against. */
export interface BenchSocket {
  /** A fresh temp directory holding the socket; removed by `close`. */
  work: string;
  socketPath: string;
  feed: ActivationFeed;
  socket: ReloadSocket;
  /** Aborted by `close`; long work of the bench can listen to it. */
  signal: AbortSignal;
  close(): Promise<void>;
}

export async function startBenchSocket(prefix: string): Promise<BenchSocket> {
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
