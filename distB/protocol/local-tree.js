/**
 * A tree on a local disk, walked and about to become manifest entries: the server walks an rsync
 * import's mirror with these shapes. The publish CLI keeps its own (cli/publish/walk-tree.ts), with
 * number stats: a 100 000-file walk cannot afford three BigInts a file.
 */
export {};
//# sourceMappingURL=local-tree.js.map