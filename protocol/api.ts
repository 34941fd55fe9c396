/**
 * The wire contract of the server's HTTP API v1 (docs/api.md): body schemas (TypeBox, so the
 * server validates with them and clients get the same static types), header names and routes.
 * Manifest entries are validated by manifest.ts, which knows the tree rules JSON Schema cannot say.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ManifestEntry, ReleaseMeta } from './manifest.js';
import type { ManifestDelta } from './delta.js';
import { APP_NAME_PATTERN } from './app-name.js';
import type { ReleaseSignature } from './release-signature.js';
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
export type ImportSettings = Static<typeof ImportSettingsSchema>;

/** The import settings a spec or record defines, and only those. */
export function importSettingsOf(spec: ImportSettings): ImportSettings {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ImportSettingsSchema.properties)) {
    const value = (spec as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as ImportSettings;
}

export const ExternalSymlinksSchema = Type.Union([Type.Literal('allow'), Type.Literal('refuse')]);
export type ExternalSymlinks = Static<typeof ExternalSymlinksSchema>;

export const AppSpecSchema = Type.Object(
  {
    nodeSelector: Type.Optional(Type.String({ maxLength: 4096 })),
    keepReleases: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    ...ImportSettingsSchema.properties,
    /** `allow`: links leaving the tree are kept verbatim as external links (docs/security.md). Default `refuse`. */
    externalSymlinks: Type.Optional(ExternalSymlinksSchema),
  },
  { additionalProperties: false },
);
export type AppSpec = Static<typeof AppSpecSchema>;

export const RollbackRequestSchema = Type.Object({ toSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) }, { additionalProperties: false });

export const BlobFetchRequestSchema = Type.Object({ sha256: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' })) }, { additionalProperties: false });

export const AppReportSchema = Type.Object({
  seq: Type.Integer({ minimum: 0 }),
  digest: Type.String(),
  activatedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), Type.Null()])),
  /** Pods that acknowledged a reload (issue 7); counted per seq. */
  acks: Type.Optional(
    Type.Array(
      Type.Object({ pod: Type.String({ maxLength: 253 }), seq: Type.Integer(), ok: Type.Boolean(), message: Type.Optional(Type.String({ maxLength: 4096 })), at: Type.Optional(Type.String()) }),
      { maxItems: 1000 },
    ),
  ),
  /** False when the node holds the app but no longer selects it: it leaves the app's status and lag. */
  selected: Type.Optional(Type.Boolean()),
});
export type AppReport = Static<typeof AppReportSchema>;

export const NodeReportSchema = Type.Object({
  apps: Type.Record(Type.String(), AppReportSchema),
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type NodeReport = Static<typeof NodeReportSchema>;

export const PullSlotRequestSchema = Type.Object({
  node: Type.String({ minLength: 1, maxLength: 253 }),
  app: AppNameSchema,
  bytes: Type.Optional(Type.Integer({ minimum: 0 })),
  /** True when the node holds no release of the app yet: served before updating nodes. */
  cold: Type.Optional(Type.Boolean()),
});
export type PullSlotRequest = Static<typeof PullSlotRequestSchema>;

/** Body of `POST /v1/apps/{app}/releases` as JSON. */
export interface PublishRequest {
  entries: ManifestEntry[];
  meta?: ReleaseMeta;
  /** The publisher's signature of (app, digest of `entries`); see protocol/release-signature.ts. */
  signature?: ReleaseSignature;
}

/**
 * `POST /v1/apps/{app}/releases`, delta form: the tree `added`, `changed` and `removed` make of
 * the retained release `base`, whose digest the client knows as `baseDigest`.
 */
export interface PublishDeltaRequest extends ManifestDelta {
  base: number;
  baseDigest: string;
  meta?: ReleaseMeta;
  /** The publisher's signature of (app, digest of the whole resulting tree). */
  signature?: ReleaseSignature;
}

export interface PublishResponse {
  seq: number;
  digest: string;
  /** True when the tree equals the latest release: no new seq was made. */
  unchanged?: boolean;
}

export interface ReleaseSummary {
  app: string;
  seq: number;
  digest: string;
  createdAt: string;
  meta: ReleaseMeta;
  /** Present on a rollback: the seq whose manifest this release repeats. */
  rollbackOf?: number;
  files: number;
  bytes: number;
  /** Whether the release carries a publisher's signature (its manifest body has it); always sent. */
  signed?: boolean;
  /** Which key signed it, when signed. */
  keyId?: string;
}

/** `GET .../releases/{seq}/manifest`: the release, its entries and its signature when signed. */
export interface ReleaseManifest extends Omit<ReleaseSummary, 'signed' | 'keyId'> {
  entries: ManifestEntry[];
  signature?: ReleaseSignature;
}

export interface ReleaseDelta {
  app: string;
  seq: number;
  base: number;
  digest: string;
  added: ManifestEntry[];
  changed: ManifestEntry[];
  removed: string[];
  /** The target release's signature, as in its full manifest. */
  signature?: ReleaseSignature;
}

export interface AppInfo extends ImportSettings {
  name: string;
  nodeSelector: string;
  keepReleases: number;
  /** Present once set with `PUT /v1/apps/{app}`; absent means `refuse`. */
  externalSymlinks?: ExternalSymlinks;
  createdAt: string;
  latest: ReleaseSummary | null;
}

/** `event: release` on `GET /v1/events`. */
export interface ReleaseEvent {
  app: string;
  seq: number;
  digest: string;
  createdAt: string;
}

export interface NodeAppStatus {
  node: string;
  seq: number;
  digest: string;
  /** 0 when the node runs the latest seq, else seconds since the first release it lacks was published. */
  lagSeconds: number;
  activatedAt: string | null;
  lastReportAt: string;
  error: string | null;
  acks?: { ok: number; failed: number; failures: { pod: string; message?: string }[] };
}

/** One row of `GET /v1/nodes`: a node as its last report describes it. */
export interface NodeSummary {
  node: string;
  lastReportAt: string;
  labels: Record<string, string>;
  /** `selected: false`: the node keeps the app's files but no longer selects it. */
  apps: Record<string, { seq: number; selected: boolean; error: string | null }>;
}

export interface AppStatus {
  app: string;
  latest: ReleaseEvent | null;
  nodes: NodeAppStatus[];
  /** With `?seq=` or `?wait=`: how far the rollout of that seq (default the latest) has come. */
  rollout?: Rollout;
}

/** One node the app's selector picks, in the rollout of one seq. */
export interface RolloutNode {
  node: string;
  /** The seq it runs (0: none yet). */
  seq: number;
  /** done: runs the seq or a later one (and, with acks, its pods acked); failed: a pod's reload failed. */
  state: 'done' | 'pending' | 'failed';
  /** Why a pending node is not there yet (its last sync error), or the failed acks. */
  error: string | null;
  lastReportAt: string;
  labels: Record<string, string>;
}

/** `rollout` of `GET /v1/apps/{app}/status?seq=N&wait=S[&acks=1]` (docs/api.md). */
export interface Rollout {
  seq: number;
  acks: boolean;
  /** Nodes whose reported labels match the app's selector. */
  selected: number;
  done: number;
  /** Every selected node is done (and at least one is selected). */
  complete: boolean;
  /** A selected node failed for good (a pod's reload failed): waiting longer will not help. */
  failed: boolean;
  nodes: RolloutNode[];
}

/** Longest `?wait=` a status request may hold (seconds); clients wait longer by asking again. */
export const MAX_STATUS_WAIT_SECONDS = 30;

/** Body of `POST /v1/apps/{app}/imports`: without `source`, the app's `importSource`. */
export const ImportRequestSchema = Type.Object(
  {
    source: Type.Optional(Type.String({ maxLength: 1024 })),
    meta: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);

/** Answer of an import: 201 with a new seq, or 200 `unchanged` with the latest one. */
export interface ImportResponse {
  seq: number;
  digest: string;
  unchanged?: boolean;
  /** Paths rsync skipped because a release cannot hold them (devices, fifos, sockets). */
  skipped?: number;
}

export interface PullSlotGrant {
  slot: string;
  ttlSeconds: number;
}
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
export type ReleaseManifestResponse = Static<typeof ReleaseManifestResponseSchema>;

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
export type ReleaseDeltaResponse = Static<typeof ReleaseDeltaResponseSchema>;

export const PublishResponseSchema = Type.Object({ seq: SeqSchema, digest: DigestSchema, unchanged: Type.Optional(Type.Boolean()) });

/** `POST /v1/apps/{app}/imports`: ImportResponse. */
export const ImportResponseSchema = Type.Object({ seq: SeqSchema, digest: DigestSchema, unchanged: Type.Optional(Type.Boolean()), skipped: Type.Optional(Type.Integer({ minimum: 0 })) });

/** `BLOBS_MISSING` and `BLOB_NOT_FOUND` bodies name the blobs in `missing`. */
export const MissingBlobsSchema = Type.Array(Sha256Schema);

export const ReleaseEventSchema = Type.Object({ app: ResponseAppNameSchema, seq: SeqSchema, digest: DigestSchema, createdAt: Type.String() });

export const AppStatusSchema = Type.Object({
  app: ResponseAppNameSchema,
  latest: Type.Union([ReleaseEventSchema, Type.Null()]),
  nodes: Type.Array(
    Type.Object({
      node: Type.String(),
      seq: Type.Integer({ minimum: 0 }),
      digest: Type.String(),
      lagSeconds: Type.Number({ minimum: 0 }),
      activatedAt: Type.Union([Type.String(), Type.Null()]),
      lastReportAt: Type.String(),
      error: Type.Union([Type.String(), Type.Null()]),
      acks: Type.Optional(
        Type.Object({ ok: Type.Integer({ minimum: 0 }), failed: Type.Integer({ minimum: 0 }), failures: Type.Array(Type.Object({ pod: Type.String(), message: Type.Optional(Type.String()) })) }),
      ),
    }),
  ),
});

export const PullSlotGrantSchema = Type.Object({ slot: Type.String({ minLength: 1, maxLength: 256 }), ttlSeconds: Type.Number({ exclusiveMinimum: 0 }) });
/** 429 `SLOT_QUEUE_TIMEOUT` adds the place in line. */
export const PullSlotQueuedSchema = Type.Object({ position: Type.Optional(Type.Integer({ minimum: 0 })) });

/** `GET /v1/nodes`: NodeSummary rows. */
export const NodeListSchema = Type.Object({
  nodes: Type.Array(
    Type.Object({
      node: Type.String(),
      lastReportAt: Type.String(),
      labels: Type.Record(Type.String(), Type.String()),
      apps: Type.Record(Type.String(), Type.Object({ seq: Type.Integer({ minimum: 0 }), selected: Type.Boolean(), error: Type.Union([Type.String(), Type.Null()]) })),
    }),
  ),
});
