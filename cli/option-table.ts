import { Command, Option } from 'commander';
import { UNIT_WORDS, type DurationUnit } from '../protocol/duration.js';

/**
 * One option of one command, declared once: the commander option, `--help`, docs/config.md and
 * the chart's values documentation all come from it (test/cli/option-docs.test.ts keeps the docs
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

/** The default as help and docs show it; undefined when there is none. */
export function defaultTextOf(spec: OptionSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined || spec.default === false) return undefined;
  return typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default);
}

/** The help line: the doc line, and what a bare number means for a duration. */
/** What a bare number means, said after the doc line of a duration flag. */
export const UNIT_NOTE = (unit: DurationUnit): string => ` (a bare number is ${UNIT_WORDS[unit]})`;

export function helpLine(spec: OptionSpec): string {
  let line = spec.bareUnit ? `${spec.doc}${UNIT_NOTE(spec.bareUnit)}` : spec.doc;
  // commander shows a default only beside a default value; these say what an absent flag means.
  if (spec.default === undefined && spec.defaultText !== undefined) line += ` (default: ${spec.defaultText})`;
  return line;
}

export function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, helpLine(spec));
  const env = envVarOf(spec);
  if (env) option.env(env);
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
  if (spec.default !== undefined) option.default(spec.default, spec.defaultText);
  if (spec.required) option.makeOptionMandatory();
  if (spec.hidden) option.hideHelp();
  return option;
}

/** Adds every option of `table` to `command`. */
export function addOptions(command: Command, ...tables: OptionTable[]): Command {
  for (const table of tables) for (const spec of Object.values(table)) command.addOption(toOption(spec));
  return command;
}
