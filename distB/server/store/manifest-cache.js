/**
 * Bytes of manifest text held by default: the latest release of each app (the base of the next
 * publish and of its precomputed delta) and the releases packs are asked for fit many times over.
 */
export const MANIFEST_CACHE_BYTES = 64 * 1024 * 1024;
/**
 * Release manifests in compact form (protocol/compact-manifest.ts, ~110 bytes an entry) by app
 * and seq, least recently used dropped first once their text passes `maxBytes`. The entry just
 * added is never dropped, however large.
 */
export class ManifestCache {
    maxBytes;
    /** Insertion order is recency order: the first key is the least recently used. */
    held = new Map();
    bytes = 0;
    constructor(maxBytes = MANIFEST_CACHE_BYTES) {
        this.maxBytes = maxBytes;
    }
    /** The manifest of `app` at `seq`, made the most recently used; undefined when not held. */
    get(app, seq) {
        const key = keyOf(app, seq);
        const cached = this.held.get(key);
        if (cached) {
            this.held.delete(key);
            this.held.set(key, cached);
        }
        return cached;
    }
    set(app, seq, manifest, checkedStrict = false) {
        const key = keyOf(app, seq);
        this.delete(app, seq);
        this.held.set(key, { manifest, checkedStrict });
        this.bytes += manifest.text.length;
        for (const [oldKey, old] of this.held) {
            if (this.bytes <= this.maxBytes || oldKey === key)
                break;
            this.held.delete(oldKey);
            this.bytes -= old.manifest.text.length;
        }
    }
    delete(app, seq) {
        const key = keyOf(app, seq);
        const old = this.held.get(key);
        if (!old)
            return;
        this.held.delete(key);
        this.bytes -= old.manifest.text.length;
    }
    /** Bytes of manifest text held. */
    get heldBytes() {
        return this.bytes;
    }
}
function keyOf(app, seq) {
    return `${app}/${seq}`;
}
//# sourceMappingURL=manifest-cache.js.map