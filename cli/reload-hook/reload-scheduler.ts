import type { ActivatedEvent } from '../../protocol/reload-socket.js';
import type { ReloadAction, ReloadOutcome } from './reload-action.js';

export interface ReloadSchedulerOptions {
  action: ReloadAction;
  /** Quiet time after an event before reloading; a burst of switches collapses to the newest. */
  debounceMs: number;
  /** Also reload for the state already active when the hook first connects. */
  reloadOnStart: boolean;
  /** Called when a reload starts, e.g. to log it. */
  onStart: (event: ActivatedEvent) => void;
  /** Called with each reload's outcome, e.g. to ack it to the agent. */
  onDone: (event: ActivatedEvent, outcome: ReloadOutcome, durationMs: number) => void;
}

/**
 * Decides when to reload: debounced, never two reloads at once, newest release wins, and never
 * twice for one seq. The first state the hook sees is what the pod started with, so it is taken as
 * done (unless `reloadOnStart`); after a reconnect, the catch-up event runs a reload only when the
 * seq moved while the hook was away.
 */
export class ReloadScheduler {
  /** Seq the pod was last reloaded onto (or started with). */
  private handledSeq: number | undefined;
  private runningSeq: number | undefined;
  private next: ActivatedEvent | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: ReloadSchedulerOptions) {}

  offer(event: ActivatedEvent): void {
    if (this.handledSeq === undefined && this.runningSeq === undefined && event.initial && !this.options.reloadOnStart) {
      this.handledSeq = event.seq;
      return;
    }
    const newest = this.next?.seq ?? this.runningSeq ?? this.handledSeq;
    if (event.seq === newest) return;
    this.next = event;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.options.debounceMs === 0) return this.startNext();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startNext();
    }, this.options.debounceMs);
  }

  /** Resolves when no reload is running (pending debounced ones are dropped). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.next = undefined;
    await this.running;
  }

  private startNext(): void {
    const event = this.next;
    if (!event || this.running) return;
    this.next = undefined;
    this.runningSeq = event.seq;
    this.options.onStart(event);
    const started = performance.now();
    this.running = this.options.action(event).then((outcome) => {
      this.handledSeq = event.seq;
      this.runningSeq = undefined;
      this.running = undefined;
      this.options.onDone(event, outcome, performance.now() - started);
      // A switch that landed during the reload already waited out its debounce.
      if (!this.timer) this.startNext();
    });
  }
}
