/** True when an `If-None-Match` header names `etag` (or `*`). */
export function etagMatches(ifNoneMatch, etags) {
    if (!ifNoneMatch)
        return false;
    return ifNoneMatch.split(',').some((tag) => {
        const candidate = tag.trim().replace(/^W\//, '');
        return candidate === '*' || etags.includes(candidate);
    });
}
/** Cache-Control of every immutable response: blobs, packs and manifests never change under their URL. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
//# sourceMappingURL=caching.js.map