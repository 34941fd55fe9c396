import { envVarOf, longName, type OptionTable } from './option-spec.js';

/** A command line read by parsePlainArgv: the operands after `--` and the options by property name. */
export interface PlainArgv {
  operands: string[];
  flags: Record<string, unknown>;
}

/**
 * Reads a command's arguments from its option table the way commander would, for the plain forms
 * only: `--name value`, `--name=value`, boolean `--name`, then `--` and the operands; unset options
 * from their variable, then their default. Anything else (help, a short or unknown flag, an operand
 * before `--`, a required option missing, a value its parser refuses) gives undefined, and the
 * caller hands the whole line to commander, which answers it — so no error reads differently.
 * It lets a command that runs in every app pod (reload-hook) start without commander.
 */
export function parsePlainArgv(table: OptionTable, args: readonly string[], env: NodeJS.ProcessEnv = process.env): PlainArgv | undefined {
  const byName = new Map(Object.entries(table).map(([key, spec]) => [longName(spec), { key, spec, takesValue: spec.flags.includes('<') }]));
  const given = new Map<string, string | true>();
  let at = 0;
  for (; at < args.length && args[at] !== '--'; at++) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(args[at]!);
    const option = match ? byName.get(match[1]!) : undefined;
    if (!match || !option || option.spec.hidden) return undefined;
    if (!option.takesValue) {
      if (match[2] !== undefined) return undefined;
      given.set(option.key, true);
      continue;
    }
    const value = match[2] ?? args[++at];
    if (value === undefined || (match[2] === undefined && value.startsWith('-'))) return undefined;
    given.set(option.key, value);
  }
  const flags: Record<string, unknown> = {};
  try {
    for (const [key, spec] of Object.entries(table)) {
      const variable = envVarOf(spec);
      const text = given.get(key) ?? (variable !== undefined && variable in env ? (spec.flags.includes('<') ? env[variable]! : true) : undefined);
      if (text === undefined) {
        if (spec.required) return undefined;
        if (spec.default !== undefined) flags[key] = spec.default;
        continue;
      }
      if (text !== true && spec.choices && !spec.choices.includes(text)) return undefined;
      flags[key] = text !== true && spec.parse ? spec.parse(text, spec.default as never) : text;
    }
  } catch {
    return undefined;
  }
  return { operands: args.slice(at + 1), flags };
}
