/**
 * The wire contract of the server's HTTP API v1 (docs/api.md): body schemas (TypeBox, so the
 * server validates with them and clients get the same static types), header names and routes.
 * Manifest entries are validated by manifest.ts, which knows the tree rules JSON Schema cannot say.
 */
import { Type } from '@sinclair/typebox';
import { APP_NAME_PATTERN } from './app-name.js';
import { DURATION_PATTERN } from './duration.js';
import { LIMITS } from './limits.js';
export { API_PREFIX, HEADERS, MEDIA_TYPES } from './api-names.js';
export const AppNameSchema = Type.String({ pattern: APP_NAME_PATTERN, maxLength: 63 });
/**
 * Where the server imports an app's tree from (an existing rsync daemon) and how; every field
 * optional, an empty string clears it. docs/config.md describes each.
 */
export const ImportSettingsSchema = Type.Object({
    /** `rsync://[user@]host[:port]/module[/path]`; the server's import-source rules refuse the rest. */
    importSource: Type.Optional(Type.String({ maxLength: 1024 })),
    /** How often the server polls importSource, e.g. `30s`, `5m`; empty or `0s`: only on request. */
    importInterval: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DURATION_PATTERN })])),
    /** Paths left out of the release, gitignore syntax (as `codesync publish --exclude`). */
    importExclude: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), { maxItems: 1000 })),
    /** A file (relative to the source) the release host's writer creates last: no import publishes without it. */
    importMarker: Type.Optional(Type.String({ maxLength: 4096 })),
    /** Name of the file holding the rsync password, in the server's `--import-password-dir`. */
    importPasswordFile: Type.Optional(Type.String({ maxLength: 255 })),
});
/** The import settings a spec or record defines, and only those. */
export function importSettingsOf(spec) {
    const out = {};
    for (const key of Object.keys(ImportSettingsSchema.properties)) {
        const value = spec[key];
        if (value !== undefined)
            out[key] = value;
    }
    return out;
}
export const ExternalSymlinksSchema = Type.Union([Type.Literal('allow'), Type.Literal('refuse')]);
export const AppSpecSchema = Type.Object({
    nodeSelector: Type.Optional(Type.String({ maxLength: 4096 })),
    keepReleases: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    ...ImportSettingsSchema.properties,
    /** `allow`: links leaving the tree are kept verbatim as external links (docs/security.md). Default `refuse`. */
    externalSymlinks: Type.Optional(ExternalSymlinksSchema),
}, { additionalProperties: false });
export const RollbackRequestSchema = Type.Object({ toSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) }, { additionalProperties: false });
export const BlobFetchRequestSchema = Type.Object({ sha256: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' })) }, { additionalProperties: false });
export const AppReportSchema = Type.Object({
    seq: Type.Integer({ minimum: 0 }),
    digest: Type.String(),
    activatedAt: Type.Union([Type.String(), Type.Null()]),
    error: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), Type.Null()])),
    /** Pods that acknowledged a reload (issue 7); counted per seq. */
    acks: Type.Optional(Type.Array(Type.Object({ pod: Type.String({ maxLength: 253 }), seq: Type.Integer(), ok: Type.Boolean(), message: Type.Optional(Type.String({ maxLength: 4096 })), at: Type.Optional(Type.String()) }), { maxItems: 1000 })),
    /** False when the node holds the app but no longer selects it: it leaves the app's status and lag. */
    selected: Type.Optional(Type.Boolean()),
});
export const NodeReportSchema = Type.Object({
    apps: Type.Record(Type.String(), AppReportSchema),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export const PullSlotRequestSchema = Type.Object({
    node: Type.String({ minLength: 1, maxLength: 253 }),
    app: AppNameSchema,
    bytes: Type.Optional(Type.Integer({ minimum: 0 })),
    /** True when the node holds no release of the app yet: served before updating nodes. */
    cold: Type.Optional(Type.Boolean()),
});
/** Longest `?wait=` a status request may hold (seconds); clients wait longer by asking again. */
export const MAX_STATUS_WAIT_SECONDS = 30;
/** Body of `POST /v1/apps/{app}/imports`: without `source`, the app's `importSource`. */
export const ImportRequestSchema = Type.Object({
    source: Type.Optional(Type.String({ maxLength: 1024 })),
    meta: Type.Optional(Type.Record(Type.String(), Type.String())),
}, { additionalProperties: false });
/*
 * Response schemas: what a client accepts from the server (protocol/client checks every answer
 * against one before any code sees it). Extra fields are allowed, so a newer server stays readable.
 * A field with `errorCode` is refused with that code (a bad app name is INVALID_APP_NAME wherever
 * it comes from); any other misfit is INVALID_RESPONSE. Manifest entries (and a delta's lists) are
 * `unknown` here on purpose: the caller runs the manifest rules, which know the tree, once, instead
 * of a second per-entry schema pass over 100 000 entries.
 */
const DIGEST_PATTERN = '^sha256:[0-9a-f]{64}$';
const SeqSchema = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorCode: 'INVALID_SEQ' });
const DigestSchema = Type.String({ pattern: DIGEST_PATTERN, errorCode: 'INVALID_SHA256' });
const ResponseAppNameSchema = Type.String({ pattern: APP_NAME_PATTERN, maxLength: 63, errorCode: 'INVALID_APP_NAME' });
const Sha256Schema = Type.String({ pattern: '^[0-9a-f]{64}$' });
const ReleaseMetaSchema = Type.Record(Type.String(), Type.String());
const UnvalidatedEntriesSchema = Type.Array(Type.Unknown(), { maxItems: LIMITS.maxEntries });
/** A release signature is checked by the agent's trust keys (protocol/release-signature.ts), not here. */
const UncheckedSignatureSchema = Type.Optional(Type.Unknown());
export const ReleaseSummarySchema = Type.Object({
    app: ResponseAppNameSchema,
    seq: SeqSchema,
    digest: DigestSchema,
    createdAt: Type.String(),
    meta: ReleaseMetaSchema,
    rollbackOf: Type.Optional(SeqSchema),
    files: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    signed: Type.Optional(Type.Boolean()),
    keyId: Type.Optional(Type.String()),
});
export const ReleaseListSchema = Type.Array(ReleaseSummarySchema);
export const AppInfoSchema = Type.Object({
    name: ResponseAppNameSchema,
    nodeSelector: Type.String({ maxLength: 4096 }),
    keepReleases: Type.Integer({ minimum: 1 }),
    createdAt: Type.String(),
    latest: Type.Union([ReleaseSummarySchema, Type.Null()]),
});
export const AppListSchema = Type.Array(AppInfoSchema);
/** An app listing whose entries the caller checks one by one (the agent refuses a bad app, not the list). */
export const UncheckedAppListSchema = Type.Array(Type.Unknown());
/** `GET .../manifest`: entries still to pass validateManifest. */
export const ReleaseManifestResponseSchema = Type.Composite([Type.Omit(ReleaseSummarySchema, ['signed', 'keyId']), Type.Object({ entries: UnvalidatedEntriesSchema, signature: UncheckedSignatureSchema })]);
/**
 * `GET .../manifest?base=N`: `added`, `changed` and `removed` are checked by the caller as the
 * manifest they form with the base (INVALID_DELTA, INVALID_PATH... there), shape included.
 */
export const ReleaseDeltaResponseSchema = Type.Object({
    app: ResponseAppNameSchema,
    seq: SeqSchema,
    base: SeqSchema,
    digest: DigestSchema,
    added: Type.Unknown(),
    changed: Type.Unknown(),
    removed: Type.Unknown(),
    signature: UncheckedSignatureSchema,
});
export const PublishResponseSchema = Type.Object({ seq: SeqSchema, digest: DigestSchema, unchanged: Type.Optional(Type.Boolean()) });
/** `POST /v1/apps/{app}/imports`: ImportResponse. */
export const ImportResponseSchema = Type.Object({ seq: SeqSchema, digest: DigestSchema, unchanged: Type.Optional(Type.Boolean()), skipped: Type.Optional(Type.Integer({ minimum: 0 })) });
/** `BLOBS_MISSING` and `BLOB_NOT_FOUND` bodies name the blobs in `missing`. */
export const MissingBlobsSchema = Type.Array(Sha256Schema);
export const ReleaseEventSchema = Type.Object({ app: ResponseAppNameSchema, seq: SeqSchema, digest: DigestSchema, createdAt: Type.String() });
export const AppStatusSchema = Type.Object({
    app: ResponseAppNameSchema,
    latest: Type.Union([ReleaseEventSchema, Type.Null()]),
    nodes: Type.Array(Type.Object({
        node: Type.String(),
        seq: Type.Integer({ minimum: 0 }),
        digest: Type.String(),
        lagSeconds: Type.Number({ minimum: 0 }),
        activatedAt: Type.Union([Type.String(), Type.Null()]),
        lastReportAt: Type.String(),
        error: Type.Union([Type.String(), Type.Null()]),
        acks: Type.Optional(Type.Object({ ok: Type.Integer({ minimum: 0 }), failed: Type.Integer({ minimum: 0 }), failures: Type.Array(Type.Object({ pod: Type.String(), message: Type.Optional(Type.String()) })) })),
    })),
});
export const PullSlotGrantSchema = Type.Object({ slot: Type.String({ minLength: 1, maxLength: 256 }), ttlSeconds: Type.Number({ exclusiveMinimum: 0 }) });
/** 429 `SLOT_QUEUE_TIMEOUT` adds the place in line. */
export const PullSlotQueuedSchema = Type.Object({ position: Type.Optional(Type.Integer({ minimum: 0 })) });
/** `GET /v1/nodes`: NodeSummary rows. */
export const NodeListSchema = Type.Object({
    nodes: Type.Array(Type.Object({
        node: Type.String(),
        lastReportAt: Type.String(),
        labels: Type.Record(Type.String(), Type.String()),
        apps: Type.Record(Type.String(), Type.Object({ seq: Type.Integer({ minimum: 0 }), selected: Type.Boolean(), error: Type.Union([Type.String(), Type.Null()]) })),
    })),
});
//# sourceMappingURL=api.js.map