import type { CompactManifest } from '../../protocol/compact-manifest.js';
import { CodesyncError } from '../../protocol/errors.js';
import { entriesJson } from './entries-json.js';
import { importSettingsOf, type AppSpec, type ExternalSymlinks, type ImportSettings, type ReleaseManifest, type ReleaseSummary } from '../../protocol/api.js';

/** `apps/<app>/app.json`: an app's spec and the next seq it will hand out. */
export interface AppRecord extends ImportSettings {
  name: string;
  nodeSelector: string;
  keepReleases: number;
  /** Absent until set: `refuse`. */
  externalSymlinks?: ExternalSymlinks;
  createdAt: string;
  /** Seqs are never reused, even after the releases that held them were pruned. */
  nextSeq: number;
  /** Set on the tombstone of a deleted app, which keeps nextSeq for a later app of that name. */
  deletedAt?: string;
}

/** `apps/<app>/releases/<seq>.json`: a complete release, manifest included. */
export type ReleaseRecord = ReleaseManifest;

/** A release record without its entries: what a publish decides before the manifest is written out. */
export type ReleaseHeader = Omit<ReleaseRecord, 'entries'>;

/**
 * The record file's bytes: exactly `JSON.stringify({...header, entries})` with the keys in the
 * record's order (entries before the signature), the entries written from the compact manifest's
 * text (entries-json.ts) rather than from an array of every entry.
 */
export function recordBytes(header: ReleaseHeader, manifest: CompactManifest): Buffer {
  const { head, tail } = recordFrame(header);
  return Buffer.concat([head, entriesJson(manifest), tail]);
}

/** The record's bytes before its entries (through the `[`) and after them (from the `]`). */
export function recordFrame(header: ReleaseHeader): { head: Buffer; tail: Buffer } {
  const { signature, ...head } = header;
  return {
    head: Buffer.from(`${JSON.stringify(head).slice(0, -1)},"entries":[`),
    tail: Buffer.from(`]${signature ? `,"signature":${JSON.stringify(signature)}` : ''}}`),
  };
}

export function summaryOf(record: ReleaseHeader): ReleaseSummary {
  const { entries: _entries, signature, ...summary } = record as ReleaseHeader & { entries?: unknown };
  return signature ? { ...summary, signed: true, keyId: signature.keyId } : { ...summary, signed: false };
}

export function parseAppRecord(text: string): AppRecord {
  const value = JSON.parse(text) as AppRecord;
  if (typeof value.name !== 'string' || !Number.isInteger(value.nextSeq) || !Number.isInteger(value.keepReleases)) {
    throw new Error('app record lacks name, nextSeq or keepReleases');
  }
  return value;
}

export function parseReleaseRecord(text: string): ReleaseRecord {
  const value = JSON.parse(text) as ReleaseRecord;
  if (typeof value.app !== 'string' || !Number.isInteger(value.seq) || typeof value.digest !== 'string' || !Array.isArray(value.entries)) {
    throw new Error('release record lacks app, seq, digest or entries');
  }
  return value;
}

/** APP_NOT_FOUND; with `hint`, saying how to create the app. */
export function appNotFound(name: string, hint = false): CodesyncError {
  const how = hint ? `; create it with \`codesync apps create ${name} --selector S\`, or publish with --create --selector S` : '';
  return new CodesyncError('APP_NOT_FOUND', `app ${JSON.stringify(name)} does not exist${how}`);
}

/** The fields of an app record `spec` sets (an update leaves the others as they were). */
export function definedOf(spec: AppSpec): Partial<AppRecord> {
  const out: Partial<AppRecord> = {};
  if (spec.nodeSelector !== undefined) out.nodeSelector = spec.nodeSelector;
  if (spec.keepReleases !== undefined) out.keepReleases = spec.keepReleases;
  Object.assign(out, importSettingsOf(spec));
  if (spec.externalSymlinks !== undefined) out.externalSymlinks = spec.externalSymlinks;
  return out;
}
