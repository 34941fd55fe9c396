/**
 * The node-local reload socket's wire contract (docs/agent.md): what the agent serves on it and
 * what `codesync wait` and `codesync reload-hook` read. Types only, so the CLI loads none of the agent.
 */

/** docs/agent.md: the agent's `--socket` default. */
export const DEFAULT_SOCKET_PATH = '/run/codesync/codesync.sock';

/** One app as the node holds it right now: what pods find under `path`. */
export interface ActivatedApp {
  app: string;
  seq: number;
  digest: string;
  /** Absolute path of `apps/<app>/current`, the symlink pods serve from. */
  path: string;
  /** RFC 3339 time of the switch. */
  activatedAt: string;
}

/** Body of `GET /v1/apps/{app}` and of a successful `GET /v1/apps/{app}/wait`. */
export type HeldApp = Omit<ActivatedApp, 'app'>;

/** `event: activated` on the socket's `GET /v1/events`. */
export interface ActivatedEvent {
  app: string;
  seq: number;
  digest: string;
  /** Absolute path of `apps/<app>/current` on the node. */
  path: string;
  /** True on the catch-up event sent at subscription time for the state already active. */
  initial?: boolean;
}

/** A pod's answer after it reloaded (body of `POST /v1/apps/{app}/acks`). */
export interface ReloadAck {
  pod: string;
  seq: number;
  ok: boolean;
  message?: string;
}
