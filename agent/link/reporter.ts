import type { Logger } from 'pino';
import type { ApiClient } from '../../protocol/client/api-client.js';
import type { AppReport, NodeReport } from '../../protocol/api.js';
import type { ActivationFeed } from '../reload/activation-feed.js';
import type { AppWorker } from '../sync/app-worker.js';
import type { NodeLabelsSource } from '../kube/node-labels.js';
import { ackBudget, reportedAcks } from './report-acks.js';
import { spreadInterval } from '../../protocol/runtime/spread-interval.js';

/** Characters of an app's last error a report carries (docs/security.md, Bounds). */
const MAX_REPORTED_ERROR_CHARS = 1024;

export interface ReporterOptions {
  client: ApiClient;
  node: string;
  labels: NodeLabelsSource;
  feed: ActivationFeed;
  workers: () => Iterable<AppWorker>;
  log: Logger;
  /** Milliseconds between heartbeat reports; the server's lag view goes stale without them. */
  heartbeatMs?: number;
  /** True for an app the node holds but no longer selects: reported `selected: false`. */
  unselected?: (app: string) => boolean;
}

/**
 * Tells the server what this node runs (`PUT /v1/nodes/{node}`): right after each switch and on
 * a heartbeat. Reports never overlap; a report asked for during one is sent right after it.
 */
export class Reporter {
  private readonly options: ReporterOptions;
  private sending: Promise<void> | undefined;
  private again = false;

  constructor(options: ReporterOptions) {
    this.options = options;
  }

  async run(signal: AbortSignal): Promise<void> {
    spreadInterval(this.options.heartbeatMs ?? 30_000, () => this.report(signal), signal);
    this.report(signal);
  }

  /** Sends a report now (or right after the one in flight). */
  report(signal: AbortSignal): void {
    if (signal.aborted) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.send(signal).finally(() => {
      this.sending = undefined;
      if (this.again) {
        this.again = false;
        this.report(signal);
      }
    });
  }

  body(): NodeReport {
    const apps: Record<string, AppReport> = {};
    const budget = ackBudget();
    for (const worker of this.options.workers()) {
      const activation = worker.activated;
      if (!activation && !worker.lastError) continue;
      const acks = reportedAcks(this.options.feed.acksFor(worker.app), budget);
      apps[worker.app] = {
        seq: activation?.seq ?? 0,
        digest: activation?.digest ?? '',
        activatedAt: activation?.activatedAt ?? null,
        // An error message may quote whatever the server sent: the schema takes 4096 characters.
        error: worker.lastError === null ? null : worker.lastError.slice(0, MAX_REPORTED_ERROR_CHARS),
        ...(acks.length > 0 ? { acks } : {}),
        ...(this.options.unselected?.(worker.app) ? { selected: false } : {}),
      };
    }
    return { apps, labels: { ...this.options.labels.current() } };
  }

  private async send(signal: AbortSignal): Promise<void> {
    try {
      await this.options.client.reportNode(this.options.node, this.body(), signal);
    } catch (err) {
      if (!signal.aborted) this.options.log.warn({ err: (err as Error).message }, 'node report failed; the next heartbeat retries');
    }
  }
}
