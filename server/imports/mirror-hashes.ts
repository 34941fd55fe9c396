import type { FileIdentity } from './mirror-tree.js';

/**
 * sha256 of the mirror's files by path, valid while the file keeps its identity. rsync writes a
 * changed file to a temp name and renames it over the old one (a new inode and ctime), so a file
 * whose identity is unchanged holds the bytes hashed before: an import hashes what rsync moved,
 * not the whole tree. Kept in memory; after a restart the first import hashes everything once.
 */
export class MirrorHashes {
  private known = new Map<string, { identity: FileIdentity; sha256: string }>();
  private next = new Map<string, { identity: FileIdentity; sha256: string }>();

  lookup(path: string, identity: FileIdentity): string | undefined {
    const entry = this.known.get(path);
    if (!entry || !sameIdentity(entry.identity, identity)) return undefined;
    this.next.set(path, entry);
    return entry.sha256;
  }

  record(path: string, identity: FileIdentity, sha256: string): void {
    this.next.set(path, { identity, sha256 });
  }

  /** Ends a walk: paths not looked up or recorded since the last one (deleted files) are forgotten. */
  settle(): void {
    this.known = this.next;
    this.next = new Map();
  }
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;
}
