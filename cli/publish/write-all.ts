import type { FileHandle } from 'node:fs/promises';

/** Parts per writev call: within any system's IOV_MAX (1024 on Linux). */
const WRITEV_PARTS = 1024;

/** Writes every part, however many writev takes (it may write fewer bytes than asked, and takes at most IOV_MAX parts). */
export async function writeAll(handle: FileHandle, parts: Buffer[]): Promise<void> {
  let rest = parts.filter((part) => part.length > 0);
  while (rest.length > 0) {
    const batch = rest.slice(0, WRITEV_PARTS);
    let { bytesWritten } = await handle.writev(batch);
    let done = 0;
    while (done < batch.length && bytesWritten >= batch[done]!.length) bytesWritten -= batch[done++]!.length;
    rest = rest.slice(done);
    if (bytesWritten > 0) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}
