import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { decodeManifestFile, encodeManifestFile } from '../../protocol/compact-manifest-file.js';
import { isManifestDigest, isSeq } from '../../protocol/release-id.js';
import { writeAll } from './write-all.js';

/** The release this checkout last published to one app of one server: the base of its next delta. */
export interface PublishedTree {
  seq: number;
  digest: string;
  manifest: CompactManifest;
}

/** Where the published tree of a hash cache file is kept: next to it. */
export function publishedTreeFile(cacheFile: string): string {
  return `${cacheFile.replace(/\.json$/, '')}.published`;
}

/**
 * The tree last published from here to `app` on `origin`, or undefined when there is none, it was
 * published elsewhere, or the file is damaged (its manifest must hash to the digest it records).
 * Only a hint: the server checks the base it names and refuses a delta against anything else.
 * Synchronous for the reason HashCache.load is.
 */
export function loadPublishedTree(file: string, origin: string, app: string): PublishedTree | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const read = decodeManifestFile(data);
  if (!read) return undefined;
  const { header, manifest } = read;
  if (header.origin !== origin || header.app !== app || !isSeq(header.seq) || !isManifestDigest(header.digest)) return undefined;
  if (manifest.digest() !== header.digest) return undefined;
  return { seq: header.seq, digest: header.digest, manifest };
}

/** Width of the header's seq slot: any seq (at most 2^53) fits, right-aligned after JSON whitespace. */
const SEQ_SLOT = 16;

/**
 * The tree about to be published, written to a temp file while the server is asked: after the
 * server's answer only the seq is filled in and the file renamed over the last one (a reader sees
 * the old file or the new). Writing a 100 000-file tree's ~10 MB after the answer was most of a
 * re-publish's work once the release was live, competing for the cores with the agents that
 * fetch it. The seq is not known before the answer, so the header holds a slot of spaces and a
 * digit for it. A temp file never renamed is never read; one renamed is checked by its digest
 * when loaded (loadPublishedTree), as before.
 */
export class StagedPublishedTree {
  private constructor(
    private readonly file: string,
    private readonly temp: string,
    private readonly seqAt: number,
    private readonly written: Promise<FileHandle>,
  ) {
    // Awaited by commit or discard; a failure meanwhile must not go unhandled.
    written.catch(() => undefined);
  }

  /** Starts writing `manifest` (whose digest is `digest`) as the next published tree of `app` on `origin`. */
  static start(file: string, origin: string, app: string, manifest: CompactManifest, digest: string): StagedPublishedTree {
    const temp = `${file}.${process.pid}.tmp`;
    const [head, ...body] = encodeManifestFile(manifest, { origin, app, digest });
    // `{...}\n` becomes `{...,"seq":<spaces>0}\n`; the slot is the SEQ_SLOT bytes before `}\n`.
    // Spaces after the comma make the header a multiple of 4 bytes long: the offsets that follow
    // are then read in place, not copied (compact-manifest-file.ts).
    const fields = `${head!.toString('utf8', 0, head!.length - 2)},`;
    const unpadded = Buffer.byteLength(fields) + `"seq":${'0'.padStart(SEQ_SLOT)}}\n`.length;
    const slotted = Buffer.from(`${fields}${' '.repeat((4 - (unpadded % 4)) % 4)}"seq":${'0'.padStart(SEQ_SLOT)}}\n`);
    const seqAt = slotted.length - 2 - SEQ_SLOT;
    const written = (async () => {
      // The hash cache's save makes the directory too, at the same time, on a first publish.
      await mkdir(dirname(file), { recursive: true });
      const handle = await open(temp, 'w');
      try {
        await writeAll(handle, [slotted, ...body]);
        return handle;
      } catch (err) {
        await handle.close();
        throw err;
      }
    })();
    return new StagedPublishedTree(file, temp, seqAt, written);
  }

  /** Puts `seq` in its slot and the file in place of the last published tree. */
  async commit(seq: number): Promise<void> {
    if (!isSeq(seq)) throw new Error(`not a seq: ${seq}`);
    let handle: FileHandle | undefined;
    try {
      handle = await this.written;
      const { bytesWritten } = await handle.write(Buffer.from(String(seq).padStart(SEQ_SLOT)), 0, SEQ_SLOT, this.seqAt);
      if (bytesWritten !== SEQ_SLOT) throw Object.assign(new Error(`short write to ${this.temp}: ${bytesWritten} of ${SEQ_SLOT} bytes of the seq`), { code: 'ENOSPC' });
      await handle.close();
      handle = undefined;
      await rename(this.temp, this.file);
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await rm(this.temp, { force: true });
      throw err;
    }
  }

  /** Drops the temp file: the server published another tree, or nothing. */
  async discard(): Promise<void> {
    const handle = await this.written.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}
