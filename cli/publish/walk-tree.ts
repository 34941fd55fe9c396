import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import { CodesyncError } from '../../protocol/errors.js';
import { LIMITS } from '../../protocol/limits.js';
import { fileModeOf } from '../../protocol/manifest.js';
import { assertEntryPath, comparePathBytes } from '../../protocol/paths.js';
import { loadTreeFilter, type TreeFilter } from './tree-filter.js';
import { FileStater, HELPER_MIN_FILES } from './stat-files.js';
import type { FileIdentities } from './file-identities.js';
import { DIR_MODE, nodeFor, symlinkNode, treeRoot, type TreeNode } from './tree-node.js';


export type FileNode = Extract<TreeNode, { type: 'file' }>;

export interface WalkedTree {
  /** The tree's real path, symlinks in DIR itself resolved (the hash cache is keyed by it). */
  root: string;
  /** Every entry below the root, sorted by path bytes (the manifest's order). */
  nodes: TreeNode[];
  /** What lstat said of each file, at the slot its node's `identity` names. */
  identities: FileIdentities;
}

export interface WalkOptions {
  /** From this many files listed, a helper thread shares their lstats (default HELPER_MIN_FILES). */
  helperMinFiles?: number;
  /**
   * Work of the caller's that needs only the tree's root, done once the listing is over while a
   * helper thread lstats the files (the main thread takes its share after): a big tree's publish
   * loads its caches there.
   */
  meanwhile?: (root: string) => void;
  /**
   * How many files the caller expects below the root (the last walk's count), if it knows: from
   * helperMinFiles on, the helper starts with the walk, not once the listing has found that many,
   * so it is up (~30 ms of start) by the time the first chunk is listed.
   */
  expectedFiles?: (root: string) => number | undefined;
}

/**
 * Walks DIR without following symlinks and applies the tree rules of docs/design.md#data-model before anything
 * is uploaded: modes normalised like git (0755 if any exec bit, else 0644; dirs 0755), empty dirs
 * kept, symlinks kept as links (never followed; where they resolve is checked by the server, which
 * knows whether the app allows links leaving the tree), and sockets,
 * devices and fifos refused with the offending path named. Paths `.codesyncignore` or `exclude`
 * (gitignore patterns) name are skipped, so a socket or an odd name in an excluded dir is no error.
 *
 * The walk uses synchronous calls on purpose: a tree is thousands of tiny metadata calls, and
 * sending each through the libuv thread pool cost 5-8x more (10 000 files: ~550 ms async, ~70-160
 * ms sync on a loaded 2-core box). The CLI has nothing else to do meanwhile; `signal` is checked
 * between directories. A big tree's lstats are shared with one helper thread (stat-files.ts).
 */
export async function walkTree(dir: string, signal: AbortSignal, exclude: readonly string[] = [], options: WalkOptions = {}): Promise<WalkedTree> {
  const root = treeRoot(dir);
  const files: FileNode[] = [];
  const helperMinFiles = options.helperMinFiles ?? HELPER_MIN_FILES;
  const stater = new FileStater(root, files, helperMinFiles);
  if ((options.expectedFiles?.(root) ?? 0) >= helperMinFiles) stater.startHelper();
  const walk: Walk = { rootPrefix: root.length + 1, nodes: [], files, stater, filter: loadTreeFilter(root, exclude), signal };
  try {
    walkDir(walk, root, '');
    // The files not lstat'ed yet are, now that every directory is listed: a big tree's are shared
    // with a helper thread, handed chunks of them while the listing went on (stat-files.ts).
    const meanwhile = options.meanwhile;
    const { identities, odd } = await stater.finish(signal, meanwhile && (() => meanwhile(root)));
    for (const node of odd) restat(walk, identities, node);
    return { root, nodes: walk.nodes, identities };
  } finally {
    stater.stop();
  }
}

/** One walk's state. */
interface Walk {
  /** The length of the root's path and its slash, which a path relative to it drops. */
  rootPrefix: number;
  nodes: TreeNode[];
  /** The regular files listed, in `nodes` too: each one's slot is its index here. */
  files: FileNode[];
  /** lstats `files`, some as they are listed. */
  stater: FileStater;
  filter: TreeFilter;
  signal: AbortSignal;
}

function walkDir(walk: Walk, absoluteDir: string, relativeDir: string): void {
  walk.signal.throwIfAborted();
  // The entries' types come with the listing: a directory, a link or a regular file costs no
  // call of its own here (files are lstat'ed after the listing, see walkTree); only entries of a
  // filesystem that does not report types are stat'ed now. Names come as strings (a Buffer per
  // name cost a third of a 100 000-file walk); a name that is not valid UTF-8 cannot be a
  // manifest path and decodes with U+FFFD where it is not, so only a name holding U+FFFD has its
  // bytes read (see validName).
  const dirBytes = relativeDir ? Buffer.byteLength(relativeDir) + 1 : 0;
  const listed: Listed[] = [];
  for (const dirent of readdirSync(absoluteDir, { withFileTypes: true })) {
    const name = dirent.name;
    const absolute = `${absoluteDir}/${name}`;
    if (name.includes('\uFFFD')) validName(absoluteDir, name);
    let kind = kindOfDirent(dirent);
    // Number stats, not bigint: BigIntStats builds fourteen BigInts and four Dates an entry, which
    // with their garbage cost more than the lstat itself. A regular file a listing did not type is
    // lstat'ed again with the others (its identity goes in its slot then).
    let st = kind === 'other' ? lstatSync(absolute) : undefined;
    if (st?.isFile()) {
      kind = 'file';
      st = undefined;
    }
    // A slice of the absolute path: a concatenation of its own would stay a rope until the hash
    // cache compares it, and flattening 100 000 of them there cost more.
    const path = absolute.slice(walk.rootPrefix);
    const isDir = st ? st.isDirectory() : kind === 'dir';
    // An excluded directory is not entered: what lies below it cannot be published (gitignore's rule).
    if (walk.filter.excludes(path, isDir)) continue;
    // The parent's path passed already and a listed name is never empty, `.`, `..` or holds a
    // slash or NUL: only the lengths can fail here (assertEntryPath then says how).
    // A UTF-16 unit is at most 3 UTF-8 bytes: only a long name needs its bytes counted.
    if (name.length * 3 > LIMITS.maxNameBytes || dirBytes + name.length * 3 > LIMITS.maxPathBytes) assertEntryPath(path);
    let node: TreeNode;
    if (kind === 'file') {
      // Its slot is set once the listing is sorted (walk.files' order).
      node = { path, type: 'file', mode: 0o644, absolute, identity: -1 };
    } else if (st) node = nodeFor(absolute, path, st);
    else node = kind === 'dir' ? { path, type: 'dir', mode: DIR_MODE } : symlinkNode(absolute, path);
    listed.push({ key: name, node });
    // What lies below a directory sorts after "<name>/", which other names of this directory
    // may precede ("<name>.txt" does: '.' < '/').
    if (node.type === 'dir') listed.push({ key: `${name}/`, node, absolute });
  }
  // The manifest's order, by path bytes, one directory at a time: sorting names within each
  // listing costs a small fraction of one sort of every path (100 000 paths: ~350 ms).
  listed.sort((a, b) => comparePathBytes(a.key, b.key));
  for (const { node, absolute } of listed) {
    if (absolute !== undefined) walkDir(walk, absolute, node.path);
    else {
      if (node.type === 'file') {
        node.identity = walk.files.push(node) - 1;
        walk.stater.listed();
      }
      walk.nodes.push(node);
    }
  }
}

/**
 * A file listed as regular that lstat then found otherwise (see statFiles): replaced by a link
 * or a special file since, or gone, or not readable. Its node becomes what lstat says now, or
 * the walk fails as a walk of the tree as it is now would.
 */
function restat(walk: Walk, identities: FileIdentities, file: FileNode): void {
  let st: Stats;
  try {
    st = lstatSync(file.absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw treeChanged(file.absolute, 'was removed');
    throw err;
  }
  if (st.isFile()) {
    file.mode = fileModeOf(st.mode);
    identities.set(file.identity, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.mode);
    return;
  }
  const node = nodeFor(file.absolute, file.path, st);
  if (node.type === 'dir') throw treeChanged(file.absolute, 'became a directory');
  walk.nodes[walk.nodes.indexOf(file)] = node;
}

function treeChanged(absolute: string, what: string): CodesyncError {
  return new CodesyncError('TREE_CHANGED', `${JSON.stringify(absolute)} ${what} while the tree was read; publish again once writes settle`);
}

/**
 * Throws INVALID_PATH when `name`, as listed in `dir`, stands for bytes that are not valid UTF-8:
 * decoding them put U+FFFD in their place, and publishing the decoded name would rename the file.
 */
function validName(dir: string, name: string): void {
  for (const raw of readdirSync(dir, { encoding: 'buffer' })) {
    if (raw.toString('utf8') === name && !Buffer.from(name, 'utf8').equals(raw)) throw new CodesyncError('INVALID_PATH', `${JSON.stringify(`${dir}/${name}`)}: file name is not valid UTF-8`);
  }
}

/** One entry of a listing: the node itself, or (with `absolute`) what lies below the directory. */
interface Listed {
  key: string;
  node: TreeNode;
  absolute?: string;
}

/** What the listing says an entry is; `other` for special files and unknown types (stat'ed as listed). */
function kindOfDirent(dirent: Dirent): 'file' | 'dir' | 'symlink' | 'other' {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'dir';
  if (dirent.isSymbolicLink()) return 'symlink';
  return 'other';
}
