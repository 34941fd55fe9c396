import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** A test's view of one `GET /v1/events` stream: events and comments as they arrive. */
export class EventStream {
  readonly events: EventSourceMessage[] = [];
  readonly comments: string[] = [];
  ended = false;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  readonly done: Promise<void>;

  private constructor(private readonly response: Response) {
    const parser = createParser({
      onEvent: (event) => this.push(() => this.events.push(event)),
      onComment: (comment) => this.push(() => this.comments.push(comment)),
    });
    this.done = (async () => {
      try {
        const decoder = new TextDecoder();
        for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // aborted by the test or cut by the server
      }
      this.push(() => (this.ended = true));
    })();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    if (response.status !== 200) throw new Error(`events: ${response.status} ${await response.text()}`);
    const stream = new EventStream(response);
    stream.controller.signal.addEventListener('abort', () => controller.abort());
    return stream;
  }

  /** Resolves once `predicate` holds (checked on every event and comment). */
  async until(predicate: (stream: EventStream) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.controller.abort();
  }

  private push(update: () => void): void {
    update();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
