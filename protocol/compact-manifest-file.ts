import { CompactManifest } from './compact-manifest.js';

/**
 * The disk form of a CompactManifest, read back without re-parsing a line: a JSON header line,
 * then the offset arrays and the canonical text. The agent keeps its releases' manifests in it
 * (docs/agent.md) and the CLI its last published tree. Offsets are host-endian: the file never
 * leaves the machine that wrote it.
 */

/** The file's bytes; `header` fields are the caller's (seq, digest...), `entries` and `textBytes` are added. */
export function encodeManifestFile(manifest: CompactManifest, header: Record<string, unknown>): Buffer[] {
  const { lineStarts, pathStarts } = manifest.offsets();
  const head = Buffer.from(`${JSON.stringify({ ...header, entries: manifest.length, textBytes: manifest.text.length })}\n`);
  return [head, Buffer.from(lineStarts.buffer, lineStarts.byteOffset, lineStarts.byteLength), Buffer.from(pathStarts.buffer, pathStarts.byteOffset, pathStarts.byteLength), manifest.text];
}

/**
 * Reads `encodeManifestFile`'s output back; undefined when it is cut short or malformed (a torn
 * write never passes: the caller then checks the digest).
 */
export function decodeManifestFile(data: Buffer): { header: Record<string, unknown>; manifest: CompactManifest } | undefined {
  const newline = data.indexOf(0x0a);
  if (newline < 0) return undefined;
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(data.toString('utf8', 0, newline)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { entries, textBytes } = header;
  if (typeof entries !== 'number' || typeof textBytes !== 'number' || !Number.isSafeInteger(entries) || !Number.isSafeInteger(textBytes) || entries < 0) return undefined;
  const start = newline + 1;
  const offsetBytes = (2 * entries + 1) * 4;
  if (data.length !== start + offsetBytes + textBytes) return undefined;
  const { offsets, text } = inPlace(data, start, offsetBytes) ?? copied(data, start, offsetBytes);
  const lineStarts = offsets.subarray(0, entries + 1);
  const pathStarts = offsets.subarray(entries + 1);
  if (lineStarts[0] !== 0 && entries > 0) return undefined;
  if (lineStarts[entries] !== text.length) return undefined;
  for (let i = 0; i < entries; i++) {
    const end = lineStarts[i + 1]!;
    if (lineStarts[i]! >= end || pathStarts[i]! <= lineStarts[i]! || pathStarts[i]! >= end || text[end - 1] !== 0x0a) return undefined;
  }
  return { header, manifest: CompactManifest.fromCanonicalText(text, lineStarts, pathStarts) };
}

/**
 * The offsets and text as views of `data` itself, when it holds nothing else (its own memory, not
 * a slice of a pool or a bigger buffer) and the offsets start 4-aligned in it (padHeader): a
 * 100 000-entry tree's ~11 MB then costs no second copy (fresh pages, each a fault, on the CLI's
 * path to a re-publish's delta). The views keep only the file alive, which the copies held too.
 */
function inPlace(data: Buffer, start: number, offsetBytes: number): { offsets: Uint32Array; text: Buffer } | undefined {
  if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength || start % 4 !== 0) return undefined;
  return { offsets: new Uint32Array(data.buffer, start, offsetBytes / 4), text: data.subarray(start + offsetBytes) };
}

/** The offsets and text copied out of `data`: a typed array needs an aligned offset, and a view would keep a bigger buffer alive. */
function copied(data: Buffer, start: number, offsetBytes: number): { offsets: Uint32Array; text: Buffer } {
  const offsets = new Uint32Array(offsetBytes / 4);
  Buffer.from(offsets.buffer).set(data.subarray(start, start + offsetBytes));
  return { offsets, text: Buffer.from(data.subarray(start + offsetBytes)) };
}
