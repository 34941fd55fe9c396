import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CanonicalLines, validateToCompact } from '../../protocol/compact-manifest-builder.js';
import { RollbackRequestSchema } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
import { LIMITS } from '../../protocol/limits.js';
import { validateEntry, validateManifest, validateMeta } from '../../protocol/manifest.js';
import { assertEntryPath } from '../../protocol/paths.js';
import { assertManifestDigest, assertSeq } from '../../protocol/release-id.js';
import { parseReleaseSignature } from '../../protocol/release-signature.js';
import { parseSelector } from '../../protocol/selector.js';
import { etagMatches, IMMUTABLE } from '../http/caching.js';
import { appParam, baseQuery, parseSeq } from '../http/params.js';
import { ReleaseBodies } from '../http/release-bodies.js';
import { importTree } from '../tar/tree-import.js';
import { useScanningJsonParser } from './publish-body.js';
const TAR_TYPES = ['application/x-tar', 'application/gzip', 'application/x-gzip'];
/** Publish (manifest JSON or tar), list, manifest and delta, rollback. */
export function releaseRoutes(context) {
    return async (app) => {
        const bodies = new ReleaseBodies();
        // Tar bodies reach the handler as the raw stream; it hashes them into the store as they arrive.
        app.addContentTypeParser(TAR_TYPES, (_request, payload, done) => done(null, payload));
        useScanningJsonParser(app);
        app.post('/v1/apps/:app/releases', {
            bodyLimit: LIMITS.maxManifestBytes,
            preParsing: async (request) => {
                if (!isTar(request) && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
                    throw new CodesyncError('UNSUPPORTED_MEDIA_TYPE', 'publish takes application/json (a manifest) or application/x-tar / application/gzip (a tree)');
                }
                const declared = Number(request.headers['content-length'] ?? 0);
                if (!isTar(request) && declared > LIMITS.maxManifestBytes) {
                    throw new CodesyncError('MANIFEST_TOO_LARGE', `manifest body of ${declared} bytes is over the limit of ${LIMITS.maxManifestBytes}`);
                }
            },
        }, async (request, reply) => {
            const name = appParam(request.params);
            const create = createSpec(request.query);
            const outcome = isTar(request) ? await publishTar(context, name, request, create) : await publishJson(context, name, request.body, create);
            if ('missing' in outcome)
                return sendMissing(request, reply, outcome.missing);
            const result = outcome.published;
            request.log.info({ app: name, seq: result.release.seq, digest: result.release.digest, unchanged: result.unchanged }, result.unchanged ? 'publish unchanged' : 'release published');
            return reply.code(result.unchanged ? 200 : 201).send(publishResponse(result));
        });
        app.get('/v1/apps/:app/releases', async (request) => context.releases.releases(appParam(request.params)));
        app.get('/v1/apps/:app/releases/:seq/manifest', async (request, reply) => {
            const name = appParam(request.params);
            const release = context.releases.summary(name, parseSeq(request.params.seq));
            const baseSeq = baseQuery(request.query);
            const base = baseSeq === undefined ? undefined : context.releases.summary(name, baseSeq);
            // A release never changes under its seq, so its manifest is as cacheable as a blob.
            const etag = `"${release.digest.slice('sha256:'.length)}${base ? `-${base.digest.slice('sha256:'.length, 23)}` : ''}"`;
            reply.header('cache-control', IMMUTABLE).header('etag', etag);
            if (etagMatches(request.headers['if-none-match'], [etag]))
                return reply.code(304).send();
            // Both bodies are files written once (the record, the delta made at publish or on the first
            // request for that step): every node asking gets a file read (or a small body kept from
            // one), not a manifest computed.
            const file = () => (base ? context.releases.deltaFile(name, release.seq, base.seq) : context.releases.recordFile(name, release.seq));
            return bodies.send(reply, release, base, file, name);
        });
        app.post('/v1/apps/:app/rollback', async (request, reply) => {
            const name = appParam(request.params);
            const toSeq = rollbackTarget(request.body);
            const summaries = context.releases.releases(name);
            const latest = summaries[0];
            const target = toSeq ?? summaries[1]?.seq;
            if (!latest || target === undefined)
                throw new CodesyncError('NOTHING_TO_ROLL_BACK', `app ${name} has no earlier release to roll back to`);
            if (target === latest.seq)
                throw new CodesyncError('NOTHING_TO_ROLL_BACK', `release ${target} is already the latest of ${name}`);
            const record = await context.releases.release(name, target);
            // No meta is copied: a second release carrying `commit=abc` would make `rollback --to
            // commit=abc` ambiguous; rollbackOf names the release whose tree this is. Same app, same
            // digest: the older release's signature still vouches for this one.
            // The app's rules may have changed since (external links turned off): the old tree must pass them now.
            validateManifest(record.entries, context.releases.manifestRules(name));
            const outcome = await context.releases.publish(name, record.entries, { meta: {}, rollbackOf: record.seq, signature: record.signature });
            // A retained release whose blobs are gone: the store was damaged; the answer says which.
            if ('missing' in outcome)
                return sendMissing(request, reply, outcome.missing);
            const result = outcome.published;
            request.log.info({ app: name, seq: result.release.seq, rollbackOf: target }, 'rolled back');
            return reply.code(result.unchanged ? 200 : 201).send(publishResponse(result));
        });
    };
}
function publishResponse(result) {
    const body = { seq: result.release.seq, digest: result.release.digest };
    if (result.unchanged)
        body.unchanged = true;
    return body;
}
/**
 * 409 BLOBS_MISSING naming the blobs (docs/api.md#publish): a step of every first publish (the
 * client uploads them and posts again), not a refusal, so it is logged at debug.
 */
function sendMissing(request, reply, missing) {
    request.log.debug({ missing: missing.length }, 'blobs missing; the client uploads them');
    const answer = new CodesyncError('BLOBS_MISSING', `${missing.length} blob(s) are missing; upload them and publish again`, { details: { missing } });
    return reply.code(answer.statusCode).type('application/json').send(answer.toJSON());
}
function isTar(request) {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    return TAR_TYPES.includes(type);
}
async function publishJson(context, name, body, create) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new CodesyncError('INVALID_REQUEST', 'body must be a JSON object {entries, meta} or {base, baseDigest, added, changed, removed, meta}');
    const { entries, meta, signature, base } = body;
    const options = { meta: validateMeta(meta), signature: parseReleaseSignature(signature), create };
    if (base !== undefined) {
        if (entries !== undefined)
            throw new CodesyncError('INVALID_REQUEST', 'a publish sends either entries (the whole tree) or base with added, changed and removed (a delta), not both');
        const { baseDigest, delta } = parseDeltaBody(body);
        return context.releases.publishDelta(name, { seq: base, digest: baseDigest }, delta, options);
    }
    const rules = context.releases.manifestRules(name);
    // Read off the body entry by entry (publish-body.ts), unless `entries` was not an array.
    if (entries instanceof CanonicalLines)
        return context.releases.publishManifest(name, validateToCompact(entries, rules), options);
    return context.releases.publish(name, validateManifest(entries, rules), options);
}
/**
 * The delta form of a publish (docs/api.md#publish): `base` and `baseDigest` name the retained
 * release it applies to; each entry is checked alone here, the tree they make as a whole by the
 * store once it is applied.
 */
function parseDeltaBody(body) {
    const { base, baseDigest, added, changed, removed } = body;
    assertSeq(base, 'base');
    assertManifestDigest(baseDigest);
    if (!Array.isArray(added) || !Array.isArray(changed) || !Array.isArray(removed))
        throw new CodesyncError('INVALID_REQUEST', 'a delta publish needs added, changed and removed arrays');
    if (added.length + changed.length + removed.length > LIMITS.maxEntries) {
        throw new CodesyncError('MANIFEST_TOO_LARGE', `delta names ${added.length + changed.length + removed.length} entries, more than the limit of ${LIMITS.maxEntries}`);
    }
    for (const path of removed)
        assertEntryPath(path);
    return { baseDigest, delta: { added: added.map(validateEntry), changed: changed.map(validateEntry), removed: removed } };
}
async function publishTar(context, name, request, create) {
    const meta = metaFromQuery(request.query);
    const signature = signatureFromQuery(request.query);
    const gzip = !(request.headers['content-type'] ?? '').includes('x-tar');
    // The raw request, not `body`: an empty body skips the parser and leaves `body` undefined.
    const entries = await importTree(request.raw, gzip, context.blobs, context.releases.manifestRules(name));
    return context.releases.publish(name, entries, { meta, signature, create });
}
/**
 * Signature of a tar publish (docs/api.md): `signature.keyId` and `signature.sig` query
 * parameters, made by a client that hashed the tree it tars; both or neither.
 */
function signatureFromQuery(query) {
    const { 'signature.keyId': keyId, 'signature.sig': sig } = query;
    if (keyId === undefined && sig === undefined)
        return undefined;
    return parseReleaseSignature({ keyId, sig });
}
/**
 * `?create=1[&selector=S][&keepReleases=N]`: the client asks to create the app if it does not
 * exist yet (with that spec); an existing app's spec is left as it is.
 */
function createSpec(query) {
    const { create, selector, keepReleases } = query;
    if (create === undefined || create === '0' || create === 'false') {
        if (selector !== undefined || keepReleases !== undefined)
            throw new CodesyncError('INVALID_REQUEST', 'selector and keepReleases apply only with create=1');
        return undefined;
    }
    if (create !== '1' && create !== 'true')
        throw new CodesyncError('INVALID_REQUEST', `create must be 1 or 0, got ${JSON.stringify(create)}`);
    const spec = {};
    if (selector !== undefined) {
        if (typeof selector !== 'string')
            throw new CodesyncError('INVALID_SELECTOR', 'selector must be given once');
        parseSelector(selector);
        spec.nodeSelector = selector;
    }
    if (keepReleases !== undefined) {
        const n = typeof keepReleases === 'string' && /^\d{1,5}$/.test(keepReleases) ? Number(keepReleases) : NaN;
        if (!(n >= 1 && n <= 10_000))
            throw new CodesyncError('INVALID_REQUEST', `keepReleases must be an integer from 1 to 10000, got ${JSON.stringify(keepReleases)}`);
        spec.keepReleases = n;
    }
    return spec;
}
/** Meta of a tar publish: one `meta.<key>=<value>` query parameter per key. */
function metaFromQuery(query) {
    const meta = {};
    for (const [key, value] of Object.entries(query)) {
        if (key.startsWith('meta.') && key.length > 5)
            meta[key.slice(5)] = value;
    }
    return validateMeta(meta);
}
const rollbackRequest = TypeCompiler.Compile(RollbackRequestSchema);
/** The body is optional (docs/api.md), so it is checked here rather than by a route schema. */
function rollbackTarget(body) {
    if (body === undefined || body === null)
        return undefined;
    if (rollbackRequest.Check(body))
        return body.toSeq;
    if (rollbackRequest.Errors(body).First()?.path === '/toSeq') {
        throw new CodesyncError('INVALID_SEQ', `toSeq must be a positive integer, got ${JSON.stringify(body.toSeq)}`);
    }
    throw new CodesyncError('INVALID_REQUEST', 'body must be a JSON object {toSeq?}');
}
//# sourceMappingURL=releases.js.map