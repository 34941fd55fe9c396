import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scanEntriesObject } from '../../protocol/entries-json-scan.js';
import { LIMITS } from '../../protocol/limits.js';
import { collectBody } from '../http/body-collector.js';

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
  app.addContentTypeParser('application/json', (request, payload, done) => {
    collectBody(request, payload, request.routeOptions.bodyLimit ?? LIMITS.maxJsonBytes).then((buffer) => parseBody(request, buffer, done), done);
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
