import { envVarOf, longName } from './option-spec.js';
/**
 * Reads a command's arguments from its option table the way commander would, for the plain forms
 * only: `--name value`, `--name=value`, boolean `--name`, operands (see PlainArgvOptions), `--`;
 * a repeated option folds its values through its parser as commander does; unset options from
 * their variable, then their default. Anything else (help, a short or unknown flag, an operand it
 * does not expect, a required option missing, a value its parser refuses) gives undefined, and
 * the caller hands the whole line to commander, which answers it — so no error reads differently.
 * It lets the commands every pod or CI job runs (reload-hook, publish) start without commander.
 */
export function parsePlainArgv(table, args, env = process.env, options = {}) {
    const byName = new Map(Object.entries(table).map(([key, spec]) => [longName(spec), { key, spec, takesValue: spec.flags.includes('<') }]));
    const given = new Map();
    const give = (key, value) => {
        const values = given.get(key);
        if (values)
            values.push(value);
        else
            given.set(key, [value]);
    };
    const operands = [];
    let at = 0;
    for (; at < args.length && args[at] !== '--'; at++) {
        const arg = args[at];
        if (options.operands !== undefined && !arg.startsWith('-')) {
            operands.push(arg);
            continue;
        }
        const match = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
        const option = match ? byName.get(match[1]) : undefined;
        if (!match || !option || option.spec.hidden)
            return undefined;
        if (!option.takesValue) {
            if (match[2] !== undefined)
                return undefined;
            give(option.key, true);
            continue;
        }
        const value = match[2] ?? args[++at];
        if (value === undefined || (match[2] === undefined && value.startsWith('-')))
            return undefined;
        give(option.key, value);
    }
    operands.push(...args.slice(at + 1));
    if (options.operands !== undefined && operands.length !== options.operands)
        return undefined;
    const flags = {};
    try {
        for (const [key, spec] of Object.entries(table)) {
            const variable = envVarOf(spec);
            const texts = given.get(key) ?? (variable !== undefined && variable in env ? [spec.flags.includes('<') ? env[variable] : true] : undefined);
            if (texts === undefined) {
                if (spec.required)
                    return undefined;
                if (spec.default !== undefined)
                    flags[key] = spec.default;
                continue;
            }
            let value = spec.default;
            for (const text of texts) {
                if (text !== true && spec.choices && !spec.choices.includes(text))
                    return undefined;
                value = text !== true && spec.parse ? spec.parse(text, value) : text;
            }
            flags[key] = value;
        }
    }
    catch {
        return undefined;
    }
    return { operands, flags };
}
//# sourceMappingURL=plain-argv.js.map