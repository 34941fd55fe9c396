/**
 * A tree on a local disk, walked and about to become manifest entries: the server walks an rsync
 * import's mirror with these shapes. The publish CLI keeps its own (cli/publish/walk-tree.ts), with
 * number stats: a 100 000-file walk cannot afford three BigInts a file.
 */

/** What tells a file is the one hashed before: a rewrite or a rename-over changes one of these. */
export interface FileIdentity {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/**
 * One path of a walked tree; files keep where they are on disk and their identity (`Identity`:
 * the publish walk keeps lstat's plain numbers, cli/publish/walk-tree.ts).
 */
export type LocalTreeNode<Identity = FileIdentity> =
  | { path: string; type: 'file'; mode: number; absolute: string; identity: Identity }
  | { path: string; type: 'dir'; mode: number }
  | { path: string; type: 'symlink'; mode: number; target: string };
