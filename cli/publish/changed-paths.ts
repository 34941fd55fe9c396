import { lstatSync, readFileSync } from 'node:fs';
import type { CompactManifest } from '../../protocol/compact-manifest.js';
import { isCodesyncError } from '../../protocol/errors.js';
import { fileModeOf, type ManifestEntry } from '../../protocol/manifest.js';
import { assertEntryPath, comparePathBytes, parentsOf } from '../../protocol/paths.js';
import { usageError } from '../fail.js';
import { IGNORE_FILE, type TreeFilter } from './tree-filter.js';
import { nodeFor } from './tree-node.js';

/** A regular file the list names, still to be hashed into its manifest entry. */
export interface ListedFile {
  path: string;
  absolute: string;
  mode: number;
}

/** The paths a list names (and their parents), as they are on disk now. */
export interface ListedChanges {
  /** Entries for the directories and symlinks found; files are in `files`. */
  entries: ManifestEntry[];
  files: ListedFile[];
  /** Paths of the last published tree that are gone: listed and absent, or below one. */
  removed: string[];
}

/**
 * Reads `--changed-from`'s list: `-` is stdin. One path per line (git diff --name-only), or
 * NUL-separated when the text holds a NUL (git diff -z, for names git would quote). Paths are
 * relative to the published directory; `./` and a trailing `/` are dropped, blank lines skipped.
 */
export function readChangedList(source: string): string[] {
  let text: string;
  try {
    text = readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (err) {
    throw usageError(`--changed-from: cannot read ${source === '-' ? 'stdin' : JSON.stringify(source)}: ${(err as Error).message}`);
  }
  const separator = text.includes('\0') ? '\0' : '\n';
  const paths: string[] = [];
  for (const line of text.split(separator)) {
    let path = separator === '\n' ? line.replace(/\r$/, '') : line;
    if (path === '') continue;
    // git quotes a name with odd bytes ("a\tb"): taken literally it would name no file, and the
    // change would go unpublished.
    if (separator === '\n' && path.length > 1 && path.startsWith('"') && path.endsWith('"')) {
      throw usageError(`--changed-from: ${path} looks quoted by git; list NUL-separated paths instead (git diff --name-only -z)`);
    }
    while (path.startsWith('./')) path = path.slice(2);
    while (path.endsWith('/')) path = path.slice(0, -1);
    if (path === '' || path === '.') continue;
    if (path.includes('\uFFFD')) throw usageError(`--changed-from: ${JSON.stringify(path)} is not valid UTF-8`);
    try {
      assertEntryPath(path);
    } catch (err) {
      if (isCodesyncError(err)) throw usageError(`--changed-from: ${err.message}`);
      throw err;
    }
    paths.push(path);
  }
  return paths;
}

/**
 * What the listed paths are now, under the tree rules a walk applies (walk-tree.ts): each path
 * and its parents lstat'ed, never followed; excluded paths count as absent. Returns a `walk`
 * reason instead when the list cannot say what changed: a listed directory (its contents are
 * not listed), `.codesyncignore` (what every other path means changes with it), or a listed
 * path found neither on disk nor in the last tree (a list relative to another directory).
 */
export function listedChanges(root: string, previous: CompactManifest, paths: readonly string[], filter: TreeFilter): ListedChanges | { walk: string } {
  const listed = new Set(paths);
  if (listed.has(IGNORE_FILE)) return { walk: `${IGNORE_FILE} is listed` };
  const examined = new Set<string>();
  for (const path of paths) {
    for (const parent of parentsOf(path)) examined.add(parent);
    examined.add(path);
  }
  // Parents sort before what lies beneath them: a path is looked at once its parents were.
  const order = [...examined].sort(comparePathBytes);
  const changes: ListedChanges = { entries: [], files: [], removed: [] };
  const removed = new Set<string>();
  // Paths nothing can lie beneath now: absent, not a directory, or excluded (what lies beneath
  // an excluded directory is excluded too, never "missing").
  const closed = new Map<string, 'absent' | 'excluded'>();
  const drop = (path: string): void => {
    if (previous.indexOf(path) >= 0) removed.add(path);
    for (const below of previous.pathsBelow(path)) removed.add(below);
  };
  for (const path of order) {
    const parent = parentsOf(path).at(-1);
    const absolute = `${root}/${path}`;
    const parentState = parent === undefined ? undefined : closed.get(parent);
    const st = parentState ? undefined : lstatSync(absolute, { throwIfNoEntry: false });
    const excluded = parentState === 'excluded' || (st !== undefined && filter.excludes(path, st.isDirectory()));
    if (!st || excluded) {
      // Listed, yet neither on disk nor in the last tree: most likely the list is relative to
      // another directory (a repository's root where DIR is a subdirectory), and every change
      // in it would be missed.
      if (!excluded && listed.has(path) && previous.indexOf(path) < 0 && !previous.hasDescendants(path)) {
        return { walk: `${JSON.stringify(path)} is neither in ${root} nor in the last published tree: are the listed paths relative to the published directory?` };
      }
      closed.set(path, excluded ? 'excluded' : 'absent');
      drop(path);
      continue;
    }
    if (st.isDirectory()) {
      if (listed.has(path)) return { walk: `${JSON.stringify(path)} is a directory, and the list does not name what it holds` };
      changes.entries.push(nodeFor(absolute, path, st) as ManifestEntry);
      continue;
    }
    closed.set(path, 'absent');
    // A file or a link where the last tree had a directory: what was beneath it is gone.
    for (const below of previous.pathsBelow(path)) removed.add(below);
    if (st.isFile()) changes.files.push({ path, absolute, mode: fileModeOf(st.mode) });
    else changes.entries.push(nodeFor(absolute, path, st) as ManifestEntry);
  }
  changes.removed = [...removed];
  return changes;
}
