import { CompactManifest } from './compact-manifest.js';
/**
 * The disk form of a CompactManifest, read back without re-parsing a line: a JSON header line,
 * then the offset arrays and the canonical text. The agent keeps its releases' manifests in it
 * (docs/agent.md) and the CLI its last published tree. Offsets are host-endian: the file never
 * leaves the machine that wrote it.
 */
/** The file's bytes; `header` fields are the caller's (seq, digest...), `entries` and `textBytes` are added. */
export function encodeManifestFile(manifest, header) {
    const { lineStarts, pathStarts } = manifest.offsets();
    const head = Buffer.from(`${JSON.stringify({ ...header, entries: manifest.length, textBytes: manifest.text.length })}\n`);
    return [head, Buffer.from(lineStarts.buffer, lineStarts.byteOffset, lineStarts.byteLength), Buffer.from(pathStarts.buffer, pathStarts.byteOffset, pathStarts.byteLength), manifest.text];
}
/**
 * Reads `encodeManifestFile`'s output back; undefined when it is cut short or malformed (a torn
 * write never passes: the caller then checks the digest).
 */
export function decodeManifestFile(data) {
    const newline = data.indexOf(0x0a);
    if (newline < 0)
        return undefined;
    let header;
    try {
        header = JSON.parse(data.toString('utf8', 0, newline));
    }
    catch {
        return undefined;
    }
    const { entries, textBytes } = header;
    if (typeof entries !== 'number' || typeof textBytes !== 'number' || !Number.isSafeInteger(entries) || !Number.isSafeInteger(textBytes) || entries < 0)
        return undefined;
    const start = newline + 1;
    const offsetBytes = (2 * entries + 1) * 4;
    if (data.length !== start + offsetBytes + textBytes)
        return undefined;
    // Copied out: a typed array needs an aligned offset, the file's bytes are not.
    const offsets = new Uint32Array(2 * entries + 1);
    Buffer.from(offsets.buffer).set(data.subarray(start, start + offsetBytes));
    const lineStarts = offsets.subarray(0, entries + 1);
    const pathStarts = offsets.subarray(entries + 1);
    const text = Buffer.from(data.subarray(start + offsetBytes));
    if (lineStarts[0] !== 0 && entries > 0)
        return undefined;
    if (lineStarts[entries] !== text.length)
        return undefined;
    for (let i = 0; i < entries; i++) {
        const end = lineStarts[i + 1];
        if (lineStarts[i] >= end || pathStarts[i] <= lineStarts[i] || pathStarts[i] >= end || text[end - 1] !== 0x0a)
            return undefined;
    }
    return { header, manifest: CompactManifest.fromCanonicalText(text, lineStarts, pathStarts) };
}
//# sourceMappingURL=compact-manifest-file.js.map