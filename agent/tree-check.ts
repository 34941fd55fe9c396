import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestEntry } from '../protocol/manifest.js';
import { parentsOf } from '../protocol/paths.js';
import { hashFile } from '../protocol/sha256.js';
import { forEachLimit } from './concurrency.js';
import { isMissing } from './durable-fs.js';

export type ProblemKind = 'missing' | 'type' | 'mode' | 'size' | 'content' | 'target' | 'extra';

export interface TreeProblem {
  path: string;
  kind: ProblemKind;
  /** The manifest entry the path should match; absent for extra paths. */
  entry?: ManifestEntry;
}

export interface CheckOptions {
  /** Hash every file (the verify pass); without it only structure, sizes and modes (start-up). */
  hash: boolean;
  signal: AbortSignal;
}

const CHECK_CONCURRENCY = 16;

/**
 * Compares a tree on disk with its manifest. The quick check costs one lstat per entry; the full
 * one also hashes every file and looks for paths the manifest does not list.
 */
export async function checkTree(dir: string, entries: readonly ManifestEntry[], options: CheckOptions): Promise<TreeProblem[]> {
  const problems: TreeProblem[] = [];
  await forEachLimit(entries, CHECK_CONCURRENCY, async (entry) => {
    const kind = await entryProblem(join(dir, entry.path), entry, options);
    if (kind) problems.push({ path: entry.path, kind, entry });
  }, options.signal);
  if (options.hash) {
    const known = new Set<string>();
    for (const entry of entries) {
      known.add(entry.path);
      for (const parent of parentsOf(entry.path)) known.add(parent);
    }
    const onDisk = (await readdir(dir, { recursive: true })) as string[];
    for (const path of onDisk) if (!known.has(path)) problems.push({ path, kind: 'extra' });
  }
  return problems;
}

async function entryProblem(path: string, entry: ManifestEntry, options: CheckOptions): Promise<ProblemKind | undefined> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (err) {
    if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
    throw err;
  }
  switch (entry.type) {
    case 'dir':
      if (!stats.isDirectory()) return 'type';
      return (stats.mode & 0o777) === entry.mode ? undefined : 'mode';
    case 'symlink':
      if (!stats.isSymbolicLink()) return 'type';
      return (await readlink(path)) === entry.target ? undefined : 'target';
    case 'file':
      if (!stats.isFile()) return 'type';
      if ((stats.mode & 0o777) !== entry.mode) return 'mode';
      if (stats.size !== entry.size) return 'size';
      if (options.hash && (await hashFile(path, options.signal)).sha256 !== entry.sha256) return 'content';
      return undefined;
  }
}
