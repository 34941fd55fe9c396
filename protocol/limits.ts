/** Limits both sides enforce; docs/api.md lists them. Raising one is a protocol change. */
export const LIMITS = {
  /** Bytes in one entry path (DESIGN §2). */
  maxPathBytes: 4096,
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
} as const;
