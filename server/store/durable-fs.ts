import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Crash-safe file writes for the store: bytes go to a temp file under `<data>/tmp`, are fsynced,
 * then renamed into place and the directory fsynced, so a reader (or a restart after kill -9)
 * sees the old file or the whole new one, never a part.
 */
export class DurableFs {
  /** Directory for temp files; on the same volume as the store so rename is atomic. */
  readonly tmpDir: string;

  constructor(readonly dataDir: string) {
    this.tmpDir = join(dataDir, 'tmp');
  }

  /** Creates the temp dir and removes temp files a crashed run left behind. */
  async init(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  /** A fresh temp path; the caller renames it into place or removes it. */
  tempPath(): string {
    return join(this.tmpDir, `${Date.now()}-${randomBytes(6).toString('hex')}`);
  }

  /** Writes `data` to `target` atomically and durably. */
  async writeFile(target: string, data: string | Uint8Array): Promise<void> {
    const temp = this.tempPath();
    try {
      const handle = await open(temp, 'w', 0o644);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.commit(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** Renames a complete, fsynced temp file into place and makes the rename durable. */
  async commit(temp: string, target: string): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    await rename(temp, target);
    await fsyncDir(dirname(target));
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Entries of a directory, or none when it does not exist. */
export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
