import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EntriesObjectScan } from '../../protocol/entries-json-scan.js';
import { LIMITS } from '../../protocol/limits.js';
import { streamBody } from '../http/body-collector.js';

type Done = (err: Error | null, value?: unknown) => void;
type JsonParser = (request: FastifyRequest, body: string | Buffer, done: Done) => void;

/**
 * The raw bytes are kept (besides being scanned) only this far into a body, so that one the scan
 * refuses early (a BOM, not an object, a syntax error in a small body) goes to the server's own
 * parser whole; past it a valid body is held only as its scanned form.
 */
const KEEP_RAW_BYTES = LIMITS.maxJsonBytes;

/**
 * Replaces the JSON parser of the routes registered on `app` (the release routes) with one that
 * gives a body `{…, "entries": [...]}` back with `entries` as CanonicalLines — each element
 * parsed as it arrives, checked alone and kept as its canonical line, where the whole body parsed
 * at once is an object per entry (~1 KB of heap each at 100 000 entries) and the body collected
 * first is 13.5 MB more at the end of a publish — and every other member parsed as usual
 * (protocol/entries-json-scan.ts, which the agent reads manifests with too). The body on the wire
 * is unchanged (docs/api.md#publish). Anything it does not read as JSON of that shape (a syntax
 * error, a BOM, entries not an array) goes to the server's own parser whole while the body is
 * small, so every error is the one it always gave; a body the scan refuses past KEEP_RAW_BYTES is
 * refused as invalid JSON with the scan's reason (its bytes before that point were let go).
 */
export function useScanningJsonParser(app: FastifyInstance): void {
  const fallback = app.getDefaultJsonParser('error', 'error') as JsonParser;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (request, payload, done) => {
    const parse = (text: string): unknown => {
      let value: unknown;
      let failure: Error | null = null;
      fallback(request, text, (err, parsed) => ((failure = err), (value = parsed)));
      if (failure) throw failure;
      return value;
    };
    const body = new ScannedBody(new EntriesObjectScan(parse));
    streamBody(request, payload, request.routeOptions.bodyLimit ?? LIMITS.maxJsonBytes, (chunk) => body.push(chunk)).then(() => body.end(request, fallback, done), done);
  });
}

/** A body scanned as it arrives, its raw bytes kept only while they may have to go to the fallback. */
class ScannedBody {
  private raw: Buffer[] | undefined = [];
  private received = 0;
  private failure = '';

  constructor(private scan: EntriesObjectScan | undefined) {}

  push(chunk: Buffer): void {
    this.received += chunk.length;
    this.raw?.push(chunk);
    if (!this.scan) return;
    if (this.received > KEEP_RAW_BYTES) this.raw = undefined;
    try {
      this.scan.push(chunk);
    } catch (err) {
      this.refused(err);
    }
  }

  end(request: FastifyRequest, fallback: JsonParser, done: Done): void {
    if (this.scan) {
      let scanned: Record<string, unknown> | undefined;
      try {
        scanned = this.scan.end();
      } catch (err) {
        this.refused(err);
      }
      if (scanned) return done(null, scanned);
    }
    if (this.raw) return fallback(request, Buffer.concat(this.raw, this.received), done);
    const err = new SyntaxError(this.failure);
    done(Object.assign(err, { statusCode: 400 }));
  }

  private refused(err: unknown): void {
    this.scan = undefined;
    this.failure = `${err instanceof Error ? err.message : String(err)} (in the body's first ${this.received} bytes)`;
  }
}
