/** Limits both sides enforce; docs/api.md lists them. Raising one is a protocol change. */
export const LIMITS = {
    /** Bytes in one segment of an entry path: Linux's NAME_MAX, so every name can be created. */
    maxNameBytes: 255,
    /**
     * Bytes in one entry path and in one symlink target. Linux refuses paths of PATH_MAX (4096)
     * bytes or more, NUL included; the agent writes `<root>/apps/<app>/releases/<seq>/<path>` and
     * the like, so the path keeps 4095 - 3584 = 511 bytes for that prefix (see maxRootBytes).
     */
    maxPathBytes: 3584,
    /**
     * Longest agent `--root` (and `codesync pull --dest`) under which every release the server
     * accepts installs: root + the agent's longest layout prefix
     * (`/apps/<63-byte app>/.staging/damaged-<seq>-<ms>/`, at most 118 bytes) + maxPathBytes, or
     * that path with its last name replaced by the agent's 26-byte temp name, stays below PATH_MAX
     * (4095 bytes without the NUL).
     */
    maxRootBytes: 256,
    /** Symlinks followed while resolving one link, nested ones included: Linux's MAXSYMLINKS. */
    maxSymlinkFollows: 40,
    /** Bytes of the JSON-encoded `meta` map of a release. */
    maxMetaBytes: 4096,
    /** Entries in one manifest: a 1M-file tree is far past any code tree we know of. */
    maxEntries: 1_000_000,
    /** Bytes of a manifest JSON body (about 250 bytes an entry at the entry limit). */
    maxManifestBytes: 256 * 1024 * 1024,
    /** Bytes of any other JSON body. */
    maxJsonBytes: 1024 * 1024,
    /** Blobs named in one `POST /v1/blobs:fetch`. */
    maxFetchBlobs: 100_000,
    /**
     * Bytes of a `POST /v1/blobs:fetch` body: maxFetchBlobs hashes of 67 bytes as JSON
     * (`"<64 hex>",`) plus room for whitespace and the wrapper, 8 MiB.
     */
    maxFetchBodyBytes: 8 * 1024 * 1024,
};
//# sourceMappingURL=limits.js.map