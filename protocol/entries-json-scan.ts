import { CanonicalLines } from './compact-manifest-builder.js';

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Parses one JSON value's text; throws on anything that is not JSON. */
export type JsonValueParser = (text: string) => unknown;

/**
 * A JSON object `{…, "entries": [...]}` read with `entries` as CanonicalLines: each element
 * parsed on its own (`parse`, JSON.parse by default), checked alone and kept only as its
 * canonical line, where the whole text parsed at once is an object per entry (~1 KB of heap each
 * at 100 000 entries) alive until the last is checked. Every other member is parsed as usual.
 * Throws (a plain Error, never a protocol error) on anything it does not read as JSON of that
 * shape — a syntax error, a BOM, a key the caller's parser judges (`__proto__`) — so that a
 * caller can hand the body to its own parser whole and give the error it always gave. An
 * `entries` that is not an array is returned parsed, as is.
 */
export function scanEntriesObject(body: Buffer, parse: JsonValueParser = JSON.parse): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let at = skipSpace(body, 0);
  if (body[at] !== 0x7b) throw new Error('not an object');
  at = skipSpace(body, at + 1);
  if (body[at] === 0x7d) return finish(body, at + 1, out);
  for (;;) {
    if (body[at] !== QUOTE) throw new Error('key expected');
    const keyEnd = skipString(body, at);
    const key = parse(body.toString('utf8', at, keyEnd)) as string;
    if (key === '__proto__' || key === 'constructor') throw new Error('a key the parser judges');
    at = skipSpace(body, keyEnd);
    if (body[at] !== 0x3a) throw new Error('colon expected');
    at = skipSpace(body, at + 1);
    if (key === 'entries' && body[at] === 0x5b) {
      const scanned = scanArray(body, at, parse);
      out[key] = scanned.entries;
      at = scanned.end;
    } else {
      const end = skipValue(body, at);
      out[key] = parse(body.toString('utf8', at, end));
      at = end;
    }
    at = skipSpace(body, at);
    if (body[at] === 0x2c) at = skipSpace(body, at + 1);
    else if (body[at] === 0x7d) return finish(body, at + 1, out);
    else throw new Error('comma or brace expected');
  }
}

function finish(body: Buffer, at: number, out: Record<string, unknown>): Record<string, unknown> {
  if (skipSpace(body, at) !== body.length) throw new Error('text after the object');
  return out;
}

/** The elements of the array at `at`, each parsed and taken as a manifest entry. */
function scanArray(body: Buffer, at: number, parse: JsonValueParser): { entries: CanonicalLines; end: number } {
  const entries = new CanonicalLines();
  at = skipSpace(body, at + 1);
  if (body[at] !== 0x5d) {
    for (;;) {
      const end = skipValue(body, at);
      entries.add(parse(body.toString('utf8', at, end)));
      at = skipSpace(body, end);
      if (body[at] === 0x5d) break;
      if (body[at] !== 0x2c) throw new Error('comma or bracket expected');
      at = skipSpace(body, at + 1);
    }
  }
  return { entries, end: at + 1 };
}

function skipSpace(body: Buffer, at: number): number {
  while (at < body.length && SPACE.has(body[at]!)) at++;
  return at;
}

/** The end of the string starting at `at` (its opening quote). */
function skipString(body: Buffer, at: number): number {
  for (let i = at + 1; i < body.length; i++) {
    if (body[i] === BACKSLASH) i++;
    else if (body[i] === QUOTE) return i + 1;
  }
  throw new Error('unterminated string');
}

/**
 * The end of the value starting at `at`: a string, an object or array (brackets counted outside
 * strings), or a literal up to the next delimiter. Its validity as JSON is the parser's to judge.
 */
function skipValue(body: Buffer, at: number): number {
  const first = body[at];
  if (first === QUOTE) return skipString(body, at);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let i = at; i < body.length; i++) {
      const byte = body[i];
      if (byte === QUOTE) i = skipString(body, i) - 1;
      else if (byte === 0x7b || byte === 0x5b) depth++;
      else if (byte === 0x7d || byte === 0x5d) {
        if (--depth === 0) return i + 1;
      }
    }
    throw new Error('unterminated value');
  }
  let end = at;
  while (end < body.length && !SPACE.has(body[end]!) && body[end] !== 0x2c && body[end] !== 0x7d && body[end] !== 0x5d) end++;
  if (end === at) throw new Error('value expected');
  return end;
}
