import type { CompactManifest } from '../../protocol/compact-manifest.js';

/**
 * Bytes of manifest text held by default: the latest release of each app (the base of the next
 * publish and of its precomputed delta) and the releases packs are asked for fit many times over.
 */
export const MANIFEST_CACHE_BYTES = 64 * 1024 * 1024;

/** A cached manifest and what is known of the checks it passed. */
export interface CachedManifest {
  manifest: CompactManifest;
  /**
   * True when this server saw the tree pass the strictest rules (no symlink leaving the tree):
   * a files-only delta on it then needs no whole-tree check, whatever the app's rules are now.
   * False for a tree read back from its record, whose rules at publish are not known.
   */
  checkedStrict: boolean;
}

/**
 * Release manifests in compact form (protocol/compact-manifest.ts, ~110 bytes an entry) by app
 * and seq, least recently used dropped first once their text passes `maxBytes`. The entry just
 * added is never dropped, however large.
 */
export class ManifestCache {
  /** Insertion order is recency order: the first key is the least recently used. */
  private readonly held = new Map<string, CachedManifest>();
  private bytes = 0;

  constructor(private readonly maxBytes = MANIFEST_CACHE_BYTES) {}

  /** The manifest of `app` at `seq`, made the most recently used; undefined when not held. */
  get(app: string, seq: number): CachedManifest | undefined {
    const key = keyOf(app, seq);
    const cached = this.held.get(key);
    if (cached) {
      this.held.delete(key);
      this.held.set(key, cached);
    }
    return cached;
  }

  set(app: string, seq: number, manifest: CompactManifest, checkedStrict = false): void {
    const key = keyOf(app, seq);
    this.delete(app, seq);
    this.held.set(key, { manifest, checkedStrict });
    this.bytes += manifest.text.length;
    for (const [oldKey, old] of this.held) {
      if (this.bytes <= this.maxBytes || oldKey === key) break;
      this.held.delete(oldKey);
      this.bytes -= old.manifest.text.length;
    }
  }

  delete(app: string, seq: number): void {
    const key = keyOf(app, seq);
    const old = this.held.get(key);
    if (!old) return;
    this.held.delete(key);
    this.bytes -= old.manifest.text.length;
  }

  /** Bytes of manifest text held. */
  get heldBytes(): number {
    return this.bytes;
  }
}

function keyOf(app: string, seq: number): string {
  return `${app}/${seq}`;
}
