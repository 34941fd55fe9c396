import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { CompactManifest } from '../../protocol/compact-manifest.js';
import { decodeManifestFile, encodeManifestFile } from '../../protocol/compact-manifest-file.js';
import { isManifestDigest, isSeq } from '../../protocol/release-id.js';

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

/** Records what was just published (temp file + rename: a reader sees the old file or the new). */
export async function savePublishedTree(file: string, origin: string, app: string, tree: PublishedTree): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, Buffer.concat(encodeManifestFile(tree.manifest, { origin, app, seq: tree.seq, digest: tree.digest })));
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
