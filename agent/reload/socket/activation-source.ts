import type { ActivationFeed } from '../activation-feed.js';

/**
 * What the reload socket and the reload notifier use of the agent's ActivationFeed: the state of
 * each app, an `activated` event after each switch, and a sink for pod acks.
 */
export type ActivationSource = Pick<ActivationFeed, 'current' | 'apps' | 'on' | 'off' | 'recordAck'>;
