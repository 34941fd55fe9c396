import { Command, Option } from './commander.js';
import { UNIT_WORDS } from '../protocol/duration.js';
import { envVarOf } from './option-spec.js';
// The commander-free half lives in option-spec.ts, so a command can read its table without loading commander.
export { envVarOf, longName } from './option-spec.js';
/** The default as help and docs show it; undefined when there is none. */
export function defaultTextOf(spec) {
    if (spec.defaultText !== undefined)
        return spec.defaultText;
    if (spec.default === undefined || spec.default === false)
        return undefined;
    return typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default);
}
/** The help line: the doc line, and what a bare number means for a duration. */
/** What a bare number means, said after the doc line of a duration flag. */
export const UNIT_NOTE = (unit) => ` (a bare number is ${UNIT_WORDS[unit]})`;
export function helpLine(spec) {
    let line = spec.bareUnit ? `${spec.doc}${UNIT_NOTE(spec.bareUnit)}` : spec.doc;
    // commander shows a default only beside a default value; these say what an absent flag means.
    if (spec.default === undefined && spec.defaultText !== undefined)
        line += ` (default: ${spec.defaultText})`;
    return line;
}
export function toOption(spec) {
    const option = new Option(spec.flags, helpLine(spec));
    const env = envVarOf(spec);
    if (env)
        option.env(env);
    if (spec.choices)
        option.choices(spec.choices);
    if (spec.parse)
        option.argParser(spec.parse);
    if (spec.default !== undefined)
        option.default(spec.default, spec.defaultText);
    if (spec.required)
        option.makeOptionMandatory();
    if (spec.hidden)
        option.hideHelp();
    return option;
}
/** Adds every option of `table` to `command`. */
export function addOptions(command, ...tables) {
    for (const table of tables)
        for (const spec of Object.values(table))
            command.addOption(toOption(spec));
    return command;
}
//# sourceMappingURL=option-table.js.map