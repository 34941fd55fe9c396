/**
 * sha256 of the mirror's files by path, valid while the file keeps its identity. rsync writes a
 * changed file to a temp name and renames it over the old one (a new inode and ctime), so a file
 * whose identity is unchanged holds the bytes hashed before: an import hashes what rsync moved,
 * not the whole tree. Kept in memory; after a restart the first import hashes everything once.
 */
export class MirrorHashes {
    known = new Map();
    next = new Map();
    lookup(path, identity) {
        const entry = this.known.get(path);
        if (!entry || !sameIdentity(entry.identity, identity))
            return undefined;
        this.next.set(path, entry);
        return entry.sha256;
    }
    record(path, identity, sha256) {
        this.next.set(path, { identity, sha256 });
    }
    /** Ends a walk: paths not looked up or recorded since the last one (deleted files) are forgotten. */
    settle() {
        this.known = this.next;
        this.next = new Map();
    }
}
function sameIdentity(a, b) {
    return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino;
}
//# sourceMappingURL=mirror-hashes.js.map