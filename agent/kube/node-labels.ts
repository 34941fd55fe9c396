import { EventEmitter } from 'node:events';
import type { Labels } from '../../protocol/selector.js';

export interface NodeLabelsEvents {
  change: [Labels];
}

/**
 * Where the agent learns its node's labels: `--labels` outside a cluster; in one, the Kubernetes
 * API, following label changes. Emits `change` whenever the labels differ from before.
 */
export interface NodeLabelsSource extends EventEmitter<NodeLabelsEvents> {
  current(): Labels;
  /** False until the labels were read (in a cluster, the API may not have answered yet). */
  known(): boolean;
  start(signal: AbortSignal): Promise<void>;
}

/** Labels fixed for the life of the process (`--labels k=v,...`). */
export class StaticNodeLabels extends EventEmitter<NodeLabelsEvents> implements NodeLabelsSource {
  private readonly labels: Labels;

  constructor(labels: Labels) {
    super();
    this.labels = Object.freeze({ ...labels });
  }

  current(): Labels {
    return this.labels;
  }

  known(): boolean {
    return true;
  }

  async start(): Promise<void> {}
}
