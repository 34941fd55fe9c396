/**
 * A tree on a local disk, walked and about to become manifest entries: the publish CLI walks the
 * tree it publishes, the server walks an rsync import's mirror. Both decide "unchanged since last
 * hashed" by the same identity, so both hold the same shapes.
 */

/** What tells a file is the one hashed before: a rewrite or a rename-over changes one of these. */
export interface FileIdentity {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

/** One path of a walked tree; files keep where they are on disk and their identity. */
export type LocalTreeNode =
  | { path: string; type: 'file'; mode: number; absolute: string; identity: FileIdentity }
  | { path: string; type: 'dir'; mode: number }
  | { path: string; type: 'symlink'; mode: number; target: string };
