import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type EventName = 'release' | 'app' | 'app-deleted';

/** One event of `GET /v1/events`; `id` increases by one per event, across restarts. */
export interface StoredEvent {
  id: number;
  event: EventName;
  app: string;
  data: unknown;
}

/**
 * The append-only event log at `events.jsonl`: one JSON line per event, so `Last-Event-ID`
 * resumes across a server restart. Keeps the newest `retain` events; the file is rewritten
 * (atomically) when it has grown to twice that.
 */
export class EventLog {
  private events: StoredEvent[] = [];
  private lastId = 0;
  private fd: number | undefined;
  private linesInFile = 0;
  private readonly path: string;

  constructor(
    private readonly dataDir: string,
    /** Events kept for resuming; an older Last-Event-ID gets `event: reset`. */
    private readonly retain = 10_000,
  ) {
    this.path = join(dataDir, 'events.jsonl');
  }

  init(): void {
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const lines = text.split('\n').filter(Boolean);
    for (const line of lines) {
      try {
        this.events.push(JSON.parse(line) as StoredEvent);
      } catch {
        // A line cut by a crash mid-append: that event was never acknowledged to anyone.
      }
    }
    this.events = this.events.slice(-this.retain);
    this.lastId = this.events.at(-1)?.id ?? 0;
    this.rewrite();
  }

  get latestId(): number {
    return this.lastId;
  }

  append(event: EventName, app: string, data: unknown): StoredEvent {
    const stored: StoredEvent = { id: ++this.lastId, event, app, data };
    this.events.push(stored);
    if (this.events.length > this.retain) this.events.shift();
    writeSync(this.fd!, `${JSON.stringify(stored)}\n`);
    if (++this.linesInFile >= 2 * this.retain) this.rewrite();
    return stored;
  }

  /** Events after `id`, or undefined when they are no longer all retained (the client must re-list). */
  since(id: number): StoredEvent[] | undefined {
    if (id > this.lastId) return undefined;
    const oldest = this.events[0]?.id ?? this.lastId + 1;
    if (id < oldest - 1) return undefined;
    return this.events.slice(id - oldest + 1);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private rewrite(): void {
    this.close();
    const temp = join(this.dataDir, 'tmp', `events-${process.pid}.jsonl`);
    writeFileSync(temp, this.events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    const handle = openSync(temp, 'r');
    fsyncSync(handle);
    closeSync(handle);
    renameSync(temp, this.path);
    this.fd = openSync(this.path, 'a');
    this.linesInFile = this.events.length;
  }
}
