import type { Readable } from 'node:stream';
import { CodesyncError } from '../../protocol/errors.js';
import { SYMLINK_MODE, validateManifest, type ManifestEntry } from '../../protocol/manifest.js';
import type { BlobStore } from '../store/blob-store.js';
import { readTar, removeCreated } from './tar-input.js';

/**
 * Turns a tar of a tree into a validated manifest, hashing files into the blob store on the fly.
 * Devices, fifos and hardlinks are refused. On any failure the blobs this import created are
 * removed again.
 */
export async function importTree(source: Readable, gzip: boolean, blobs: BlobStore): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  const created: string[] = [];
  try {
    await readTar(source, gzip, async ({ header, body }) => {
      const path = entryPath(header.name);
      if (path === undefined) {
        body.resume();
        return;
      }
      switch (header.type) {
        case 'directory':
          body.resume();
          entries.push({ path, type: 'dir', mode: (header.mode ?? 0o755) & 0o777 });
          return;
        case 'file':
        case 'contiguous-file': {
          const stored = await blobs.write(body, { size: header.size ?? 0 });
          if (stored.created) created.push(stored.sha256);
          entries.push({ path, type: 'file', mode: (header.mode ?? 0o644) & 0o777, size: stored.size, sha256: stored.sha256 });
          return;
        }
        case 'symlink':
          body.resume();
          entries.push({ path, type: 'symlink', mode: SYMLINK_MODE, target: header.linkname ?? '' });
          return;
        default:
          body.resume();
          throw new CodesyncError('UNSUPPORTED_TAR_ENTRY', `tar entry ${JSON.stringify(header.name)} is a ${header.type}: only files, directories and symlinks can be published`);
      }
    });
    return validateManifest(entries);
  } catch (err) {
    await removeCreated(blobs, created);
    throw err;
  }
}

/** Tar names as tools write them (`./a/`, `a/b/`) to manifest paths; undefined for the root. */
function entryPath(name: string): string | undefined {
  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  while (path.endsWith('/') && path.length > 1) path = path.slice(0, -1);
  return path === '' || path === '.' ? undefined : path;
}
