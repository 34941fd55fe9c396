/**
 * The fixed names of the server's HTTP API v1 (docs/api.md): route prefix, header names, media
 * types. Apart from the schemas of api.ts (which re-exports these), so a client that checks its
 * answers by hand — the publish path — loads no schema builder.
 */
export const API_PREFIX = '/v1';
export const HEADERS = {
    /** Pull slot id that blob requests carry when the server meters pulls (docs/throttling.md). */
    slot: 'x-codesync-slot',
    /** SSE resume point, standard name. */
    lastEventId: 'last-event-id',
    /**
     * On every server response: the id the store got when it was created. A different id means a
     * store lost and recreated (seqs start at 1 again), not older releases (docs/api.md).
     */
    storeId: 'x-codesync-store-id',
};
export const MEDIA_TYPES = {
    json: 'application/json',
    tar: 'application/x-tar',
    gzip: 'application/gzip',
    octetStream: 'application/octet-stream',
    eventStream: 'text/event-stream',
};
//# sourceMappingURL=api-names.js.map