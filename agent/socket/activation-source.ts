import type { ActivatedApp, ActivationFeed } from '../activation-feed.js';

export type { ActivatedApp, ReloadAck } from '../activation-feed.js';

/**
 * What the reload socket and the reload notifier use of the agent's ActivationFeed: the state of
 * each app, an `activated` event after each switch, and a sink for pod acks.
 */
export type ActivationSource = Pick<ActivationFeed, 'current' | 'apps' | 'on' | 'off' | 'recordAck'>;

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

/** Body of `GET /v1/apps/{app}` and of a successful `GET /v1/apps/{app}/wait`. */
export type AppState = Omit<ActivatedApp, 'app'>;

export function appState(activated: ActivatedApp): AppState {
  return { seq: activated.seq, digest: activated.digest, path: activated.path, activatedAt: activated.activatedAt };
}
