import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scanEntriesObject } from '../../protocol/entries-json-scan.js';
import { LIMITS } from '../../protocol/limits.js';
import { HeapRelease } from '../../protocol/runtime/heap-release.js';
import { collectBody } from '../http/body-collector.js';

/**
 * A body at least this big (a manifest of ~7 000 entries or more) is the last step of a publish
 * whose blobs were likely just uploaded: the heap is collected before it is read and once its
 * scan is let go (see below).
 */
const COLLECT_AROUND_BYTES = 1024 * 1024;

type JsonParser = (request: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => void;

/**
 * Replaces the JSON parser of the routes registered on `app` (the release routes) with one that
 * gives a body `{…, "entries": [...]}` (collected into one buffer: body-collector.ts) back with
 * `entries` as CanonicalLines — each element parsed, checked alone and kept as its canonical line,
 * where the whole body parsed at once is an object per entry (~1 KB of heap each at 100 000
 * entries) — and every other member parsed as usual (protocol/entries-json-scan.ts, which the
 * agent reads manifests with too). The body on the wire is unchanged (docs/api.md#publish).
 * Anything it does not read as JSON of that shape (a syntax error, a BOM, entries not an array)
 * goes to the server's own parser whole, so every error is the one it always gave.
 */
export function useScanningJsonParser(app: FastifyInstance): void {
  const fallback = app.getDefaultJsonParser('error', 'error') as JsonParser;
  app.removeContentTypeParser('application/json');
  const release = new HeapRelease();
  app.addContentTypeParser('application/json', (request, payload, done) => {
    // The upload before a big manifest leaves tens of MiB of garbage (objects that lived per
    // blob until its batch committed) that V8 collects on its own schedule, often not before this
    // body, its scan and the record (~60 MiB more at 100 000 entries) are in memory too: the
    // server's RSS peaked here. One full collection (only when the heap grew since the last) and
    // a malloc trim first. Then the body (13.5 MB at 100 000 entries), the socket chunks it was
    // copied from and the scan's batches of lines are garbage as soon as the handler has made the
    // manifest of them (its synchronous part, run from `done`): a second collection right after
    // it, before the publish checks the blobs and writes the record (~15-25 MiB more), which V8
    // left for its 64 MiB external-memory trigger. Each took 30-40 ms at 100 000 entries (load 10-20).
    const big = Number(request.headers['content-length']) >= COLLECT_AROUND_BYTES;
    if (big) release.maybeRelease();
    const parsed: typeof done = big ? (err, value) => (done(err, value), void setImmediate(() => release.settle())) : done;
    collectBody(request, payload, request.routeOptions.bodyLimit ?? LIMITS.maxJsonBytes).then((buffer) => parseBody(request, buffer, parsed), done);
  });

  const parseBody = (request: FastifyRequest, buffer: Buffer, done: (err: Error | null, value?: unknown) => void): void => {
    const parse = (text: string): unknown => {
      let value: unknown;
      let failure: Error | null = null;
      fallback(request, text, (err, parsed) => ((failure = err), (value = parsed)));
      if (failure) throw failure;
      return value;
    };
    let scanned: Record<string, unknown> | undefined;
    try {
      scanned = scanEntriesObject(buffer, parse);
    } catch {
      scanned = undefined;
    }
    if (scanned) done(null, scanned);
    else fallback(request, buffer, done);
  };
}
