import { readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { CodesyncError } from '../../protocol/errors.js';
import type { LocalTreeNode } from '../../protocol/local-tree.js';
import { SYMLINK_MODE } from '../../protocol/manifest.js';
import { symlinkTargetFormProblem } from '../../protocol/paths.js';
import { usageError } from '../fail.js';

// What a walk (walk-tree.ts) and a list of changed paths (changed-paths.ts) make of an entry on disk.

/**
 * One path of the local tree, ready to become a manifest entry once files are hashed. A file's
 * `identity` is its slot in the walk's FileIdentities (what tells it is the file hashed before).
 */
export type TreeNode = LocalTreeNode<number>;

/** DIR's real path (the caches are keyed by it), or a usage error when it is no directory. */
export function treeRoot(dir: string): string {
  let root: string;
  try {
    root = realpathSync(dir);
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw usageError(`cannot publish ${JSON.stringify(dir)}: ${code === 'ENOENT' ? 'no such directory' : message}`);
  }
  if (!statSync(root).isDirectory()) throw usageError(`cannot publish ${JSON.stringify(dir)}: not a directory`);
  return root;
}

/** Directories are published 0755, whatever their mode on disk (git's rule). */
export const DIR_MODE = 0o755;

/** The node of an entry that is not a regular file (those are lstat'ed by statFiles). */
export function nodeFor(absolute: string, path: string, st: Stats): TreeNode {
  if (st.isDirectory()) return { path, type: 'dir', mode: DIR_MODE };
  if (st.isSymbolicLink()) return symlinkNode(absolute, path);
  throw new CodesyncError('UNSUPPORTED_FILE_TYPE', `${JSON.stringify(absolute)} is a ${kindOf(st)}: a release holds only files, directories and symlinks`);
}

export function symlinkNode(absolute: string, path: string): TreeNode {
  const raw = readlinkSync(absolute, { encoding: 'buffer' });
  const target = raw.toString('utf8');
  if (!Buffer.from(target, 'utf8').equals(raw)) throw new CodesyncError('INVALID_SYMLINK', `symlink ${JSON.stringify(absolute)} has a target that is not valid UTF-8`);
  // Where a link resolves is the server's call: it knows whether the app allows external links.
  const problem = symlinkTargetFormProblem(target);
  if (problem) throw new CodesyncError('INVALID_SYMLINK', `symlink ${JSON.stringify(absolute)} ${problem}`);
  return { path, type: 'symlink', mode: SYMLINK_MODE, target };
}

function kindOf(st: Stats): string {
  if (st.isSocket()) return 'socket';
  if (st.isFIFO()) return 'fifo';
  if (st.isBlockDevice()) return 'block device';
  if (st.isCharacterDevice()) return 'character device';
  return 'special file';
}
