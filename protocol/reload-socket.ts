/**
 * The node-local reload socket's wire contract (docs/agent.md): what the agent serves on it and
 * what `codesync wait` and `codesync reload-hook` read. No imports, so the CLI loads none of the agent.
 */

/** docs/agent.md: the agent's `--socket` default. */
export const DEFAULT_SOCKET_PATH = '/run/codesync/codesync.sock';

/**
 * The release an app's `current` serves on a node: the one record the agent keeps of it, from
 * the switch (or from `state.json` at start) to the socket. `state.json` (agent/app-state.ts) and
 * the socket's bodies below are projections of it, each with its own fixed fields and order.
 */
export interface ActiveRelease {
  app: string;
  seq: number;
  digest: string;
  /** Absolute path of `apps/<app>/current`, the symlink pods serve from. */
  path: string;
  /** RFC 3339 time of the switch (kept across restarts in `state.json`). */
  activatedAt: string;
  /** RFC 3339 publish time of the release, for lag; absent when unknown. */
  createdAt?: string | undefined;
  /** The server store (`x-codesync-store-id`) the release came from; absent when unknown. */
  storeId?: string | undefined;
}

/** Body of `GET /v1/apps/{app}` and of a successful `GET /v1/apps/{app}/wait`. */
export type HeldApp = Pick<ActiveRelease, 'seq' | 'digest' | 'path' | 'activatedAt'>;

/** `event: activated` on the socket's `GET /v1/events`. */
export type ActivatedEvent = Pick<ActiveRelease, 'app' | 'seq' | 'digest' | 'path'> & {
  /** True on the catch-up event sent at subscription time for the state already active. */
  initial?: boolean;
};

/** The socket body of `release`, fields in the order docs/agent.md shows. */
export function heldApp(release: ActiveRelease): HeldApp {
  return { seq: release.seq, digest: release.digest, path: release.path, activatedAt: release.activatedAt };
}

/** The `activated` event of `release`; `initial` marks the catch-up sent at subscription time. */
export function activatedEvent(release: ActiveRelease, initial: boolean): ActivatedEvent {
  const event: ActivatedEvent = { app: release.app, seq: release.seq, digest: release.digest, path: release.path };
  if (initial) event.initial = true;
  return event;
}

/** A pod's answer after it reloaded (body of `POST /v1/apps/{app}/acks`). */
export interface ReloadAck {
  pod: string;
  seq: number;
  ok: boolean;
  message?: string;
}
