/**
 * One builder per route of the server's API v1 (docs/api.md), so no caller formats a URL by hand.
 * Every name taken from outside (app, node, slot) is encoded with encodeURIComponent: a hostile
 * or odd name can change which resource is named, never which route.
 */
import type { AppSpec } from '../api.js';
import { API_PREFIX } from '../api-names.js';

const v1 = (path: string): string => `${API_PREFIX}${path}`;
const name = encodeURIComponent;
const baseQuery = (base: number | undefined): string => (base === undefined ? '' : `?base=${base}`);

export const routes = {
  apps: (): string => v1('/apps'),
  app: (app: string): string => v1(`/apps/${name(app)}`),
  releases: (app: string): string => v1(`/apps/${name(app)}/releases`),
  /** A publish that creates its app with `spec` when it does not exist yet. */
  releasesCreating: (app: string, spec: AppSpec): string => v1(`/apps/${name(app)}/releases?${createQuery(spec)}`),
  /** The full manifest, or with `base` the delta from that release. */
  manifest: (app: string, seq: number, base?: number): string => v1(`/apps/${name(app)}/releases/${seq}/manifest${baseQuery(base)}`),
  /** The tar of the blobs release `seq` adds over `base` (every blob without it). */
  pack: (app: string, seq: number, base?: number): string => v1(`/apps/${name(app)}/releases/${seq}/pack${baseQuery(base)}`),
  rollback: (app: string): string => v1(`/apps/${name(app)}/rollback`),
  imports: (app: string): string => v1(`/apps/${name(app)}/imports`),
  /** The rollout view; with `rollout`, how far release `seq` has come, long-polled up to `waitSeconds`. */
  status: (app: string, rollout?: { seq?: number | undefined; waitSeconds: number; acks: boolean }): string => v1(`/apps/${name(app)}/status${rollout ? `?${rolloutQuery(rollout)}` : ''}`),
  blob: (sha256: string): string => v1(`/blobs/${name(sha256)}`),
  blobs: (): string => v1('/blobs'),
  blobsFetch: (): string => v1('/blobs:fetch'),
  /** The event stream, of `apps` only when given. */
  events: (apps?: readonly string[]): string => v1(apps && apps.length > 0 ? `/events?apps=${apps.map(name).join(',')}` : '/events'),
  nodes: (): string => v1('/nodes'),
  node: (node: string): string => v1(`/nodes/${name(node)}`),
  pullSlots: (waitSeconds: number): string => v1(`/pull-slots?wait=${waitSeconds}`),
  pullSlot: (slot: string): string => v1(`/pull-slots/${name(slot)}`),
} as const;

/** `create=1&selector=…&keepReleases=…` of a publish that may create its app (docs/api.md). */
function createQuery(spec: AppSpec): string {
  const query = new URLSearchParams({ create: '1' });
  if (spec.nodeSelector !== undefined) query.set('selector', spec.nodeSelector);
  if (spec.keepReleases !== undefined) query.set('keepReleases', String(spec.keepReleases));
  return query.toString();
}

function rolloutQuery(rollout: { seq?: number | undefined; waitSeconds: number; acks: boolean }): string {
  const query = new URLSearchParams();
  if (rollout.seq !== undefined) query.set('seq', String(rollout.seq));
  query.set('wait', String(rollout.waitSeconds));
  if (rollout.acks) query.set('acks', '1');
  return query.toString();
}
