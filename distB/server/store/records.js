import { CodesyncError } from '../../protocol/errors.js';
import { entriesJson } from './entries-json.js';
import { importSettingsOf } from '../../protocol/api.js';
/**
 * The record file's bytes: exactly `JSON.stringify({...header, entries})` with the keys in the
 * record's order (entries before the signature), the entries written from the compact manifest's
 * text (entries-json.ts) rather than from an array of every entry.
 */
export function recordBytes(header, manifest) {
    const { head, tail } = recordFrame(header);
    return Buffer.concat([head, entriesJson(manifest), tail]);
}
/** The record's bytes before its entries (through the `[`) and after them (from the `]`). */
export function recordFrame(header) {
    const { signature, ...head } = header;
    return {
        head: Buffer.from(`${JSON.stringify(head).slice(0, -1)},"entries":[`),
        tail: Buffer.from(`]${signature ? `,"signature":${JSON.stringify(signature)}` : ''}}`),
    };
}
export function summaryOf(record) {
    const { entries: _entries, signature, ...summary } = record;
    return signature ? { ...summary, signed: true, keyId: signature.keyId } : { ...summary, signed: false };
}
export function parseAppRecord(text) {
    const value = JSON.parse(text);
    if (typeof value.name !== 'string' || !Number.isInteger(value.nextSeq) || !Number.isInteger(value.keepReleases)) {
        throw new Error('app record lacks name, nextSeq or keepReleases');
    }
    return value;
}
export function parseReleaseRecord(text) {
    const value = JSON.parse(text);
    if (typeof value.app !== 'string' || !Number.isInteger(value.seq) || typeof value.digest !== 'string' || !Array.isArray(value.entries)) {
        throw new Error('release record lacks app, seq, digest or entries');
    }
    return value;
}
/** APP_NOT_FOUND; with `hint`, saying how to create the app. */
export function appNotFound(name, hint = false) {
    const how = hint ? `; create it with \`codesync apps create ${name} --selector S\`, or publish with --create --selector S` : '';
    return new CodesyncError('APP_NOT_FOUND', `app ${JSON.stringify(name)} does not exist${how}`);
}
/** The fields of an app record `spec` sets (an update leaves the others as they were). */
export function definedOf(spec) {
    const out = {};
    if (spec.nodeSelector !== undefined)
        out.nodeSelector = spec.nodeSelector;
    if (spec.keepReleases !== undefined)
        out.keepReleases = spec.keepReleases;
    Object.assign(out, importSettingsOf(spec));
    if (spec.externalSymlinks !== undefined)
        out.externalSymlinks = spec.externalSymlinks;
    return out;
}
//# sourceMappingURL=records.js.map