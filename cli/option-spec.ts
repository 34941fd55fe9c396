import type { DurationUnit } from '../protocol/duration.js';

/**
 * One option of one command, declared once: the commander option, `--help`, docs/config.md and
 * the chart's values documentation all come from it (test/cli/option-docs.unit.ts keeps the docs
 * in step).
 */
export interface OptionSpec {
  /** Commander syntax: `--keep-releases <n>`, `--watch`; `--no-socket` is a spec of its own. */
  flags: string;
  /** The one doc line. */
  doc: string;
  /** The value when neither the flag nor its variable is given. */
  default?: unknown;
  /** How help and docs show the default when the value does not say it (`24h` for 86 400 000 ms). */
  defaultText?: string;
  /** The variable read when the flag is absent: `CODESYNC_<LONG_NAME>` unless named here; false for none. */
  env?: string | false;
  /** Turns the text into the value; throws a USAGE error (exit 2) on a bad one. */
  parse?: (value: string, previous: never) => unknown;
  /** Must be given, as the flag or its variable; help ends its line with "(required)". */
  required?: boolean;
  /** For a duration flag: the unit a bare number means (the unit the flag always had). */
  bareUnit?: DurationUnit;
  choices?: readonly string[];
  /** Left out of --help and docs: a deprecated spelling kept working. */
  hidden?: boolean;
}

/** A command's options by the property name commander gives them (`keepReleases`). */
export type OptionTable = Record<string, OptionSpec>;

/** `--keep-releases <n>` → `keep-releases`. */
export function longName(spec: OptionSpec): string {
  const match = /--([a-z0-9-]+)/.exec(spec.flags);
  if (!match) throw new Error(`option ${spec.flags} has no long name`);
  return match[1]!;
}

/** The variable the option reads, or undefined. */
export function envVarOf(spec: OptionSpec): string | undefined {
  if (spec.env === false || longName(spec).startsWith('no-')) return undefined;
  return spec.env ?? `CODESYNC_${longName(spec).toUpperCase().replaceAll('-', '_')}`;
}
