import { CanonicalLines } from './compact-manifest-builder.js';

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** A value's end is not in the bytes so far: the scan waits for the next chunk. */
const MORE = -1;

/** Parses one JSON value's text; throws on anything that is not JSON. */
export type JsonValueParser = (text: string) => unknown;

/** Where the scan stands in `{…, "entries": [...]}`: what the next byte that is not a space may be. */
type State = 'open' | 'firstKey' | 'key' | 'colon' | 'value' | 'afterValue' | 'firstElement' | 'element' | 'afterElement' | 'done';

/**
 * A JSON object `{…, "entries": [...]}` read with `entries` as CanonicalLines: each element
 * parsed on its own (`parse`, JSON.parse by default), checked alone and kept only as its
 * canonical line, where the whole text parsed at once is an object per entry (~1 KB of heap each
 * at 100 000 entries) alive until the last is checked. Every other member is parsed as usual.
 * The text may come in chunks (`push`, a request body as it arrives): only the bytes of the value
 * not yet complete are kept, so a body is never held whole.
 * Throws (a plain Error, never a protocol error) on anything it does not read as JSON of that
 * shape — a syntax error, a BOM, a key the caller's parser judges (`__proto__`) — so that a
 * caller can hand the body to its own parser whole and give the error it always gave. An
 * `entries` that is not an array is returned parsed, as is.
 */
export class EntriesObjectScan {
  private readonly out: Record<string, unknown> = {};
  private state: State = 'open';
  private key = '';
  private entries: CanonicalLines | undefined;
  /** The bytes not consumed yet: the start of the value being read. */
  private pending: Buffer = Buffer.alloc(0);
  /** How far into `pending` the value being read has been looked at, and its nesting there. */
  private looked = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly parse: JsonValueParser = JSON.parse) {}

  /** Reads the next bytes of the text. */
  push(chunk: Buffer): void {
    this.step(this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]), false);
  }

  /** The object, once the text has ended; throws if it ended before the object did. */
  end(): Record<string, unknown> {
    this.step(this.pending, true);
    if (this.state !== 'done') throw new Error('the text ended inside the object');
    return this.out;
  }

  private step(buf: Buffer, final: boolean): void {
    let at = 0;
    for (;;) {
      while (at < buf.length && SPACE.has(buf[at]!)) at++;
      if (at === buf.length) break;
      const byte = buf[at]!;
      if (this.state === 'open') {
        if (byte !== 0x7b) throw new Error('not an object');
        this.state = 'firstKey';
        at++;
      } else if (this.state === 'firstKey' && byte === 0x7d) {
        this.state = 'done';
        at++;
      } else if (this.state === 'firstKey' || this.state === 'key') {
        if (byte !== QUOTE) throw new Error('key expected');
        const end = this.valueEnd(buf, at, final);
        if (end === MORE) break;
        this.key = this.parse(buf.toString('utf8', at, end)) as string;
        if (this.key === '__proto__' || this.key === 'constructor') throw new Error('a key the parser judges');
        this.state = 'colon';
        at = end;
      } else if (this.state === 'colon') {
        if (byte !== 0x3a) throw new Error('colon expected');
        this.state = 'value';
        at++;
      } else if (this.state === 'value' && this.key === 'entries' && byte === 0x5b) {
        this.entries = new CanonicalLines();
        this.state = 'firstElement';
        at++;
      } else if (this.state === 'value') {
        const end = this.valueEnd(buf, at, final);
        if (end === MORE) break;
        this.out[this.key] = this.parse(buf.toString('utf8', at, end));
        this.state = 'afterValue';
        at = end;
      } else if (this.state === 'firstElement' && byte === 0x5d) {
        this.closeEntries();
        at++;
      } else if (this.state === 'firstElement' || this.state === 'element') {
        const end = this.valueEnd(buf, at, final);
        if (end === MORE) break;
        this.entries!.add(this.parse(buf.toString('utf8', at, end)));
        this.state = 'afterElement';
        at = end;
      } else if (this.state === 'afterElement') {
        if (byte === 0x5d) this.closeEntries();
        else if (byte === 0x2c) this.state = 'element';
        else throw new Error('comma or bracket expected');
        at++;
      } else if (this.state === 'afterValue') {
        if (byte === 0x2c) this.state = 'key';
        else if (byte === 0x7d) this.state = 'done';
        else throw new Error('comma or brace expected');
        at++;
      } else {
        throw new Error('text after the object');
      }
    }
    this.pending = buf.subarray(at);
  }

  private closeEntries(): void {
    this.out[this.key] = this.entries;
    this.entries = undefined;
    this.state = 'afterValue';
  }

  /**
   * The end of the value starting at `at`: a string, an object or array (brackets counted outside
   * strings), or a literal up to the next delimiter; MORE if it goes past the bytes so far, the
   * progress kept so that the next chunk resumes where this one stopped. Its validity as JSON is
   * the parser's to judge.
   */
  private valueEnd(buf: Buffer, at: number, final: boolean): number {
    const first = buf[at];
    let i = at + this.looked;
    if (first !== QUOTE && first !== 0x7b && first !== 0x5b) {
      while (i < buf.length && !SPACE.has(buf[i]!) && buf[i] !== 0x2c && buf[i] !== 0x7d && buf[i] !== 0x5d) i++;
      if (i === at) throw new Error('value expected');
      if (i === buf.length && !final) return this.wait(i - at);
      return this.ended(i);
    }
    let { depth, inString, escaped } = this;
    for (; i < buf.length; i++) {
      const byte = buf[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          inString = false;
          if (depth === 0) return this.ended(i + 1);
        }
      } else if (byte === QUOTE) inString = true;
      else if (byte === 0x7b || byte === 0x5b) depth++;
      else if ((byte === 0x7d || byte === 0x5d) && --depth === 0) return this.ended(i + 1);
    }
    if (final) throw new Error('unterminated value');
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return this.wait(i - at);
  }

  private wait(looked: number): number {
    this.looked = looked;
    return MORE;
  }

  private ended(end: number): number {
    this.looked = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    return end;
  }
}

/** The object of a whole text (see EntriesObjectScan). */
export function scanEntriesObject(body: Buffer, parse: JsonValueParser = JSON.parse): Record<string, unknown> {
  const scan = new EntriesObjectScan(parse);
  scan.push(body);
  return scan.end();
}
