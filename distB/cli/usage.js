/** Every command below `program`, the program included. */
function everyCommand(program) {
    return [program, ...program.commands.flatMap(everyCommand)];
}
/** `codesync apps create` for a subcommand, `codesync` for the program. */
function fullName(command) {
    const names = [];
    for (let at = command; at; at = at.parent)
        names.unshift(at.name());
    return names.join(' ');
}
/** Ends the help line of every mandatory option with "(required)", so --help says which flags must be given. */
export function markRequiredOptions(program) {
    for (const command of everyCommand(program)) {
        for (const option of command.options) {
            if (option.mandatory && !option.description.endsWith('(required)'))
                option.description = `${option.description} (required)`;
        }
    }
}
/**
 * A usage error is one line and a pointer to --help, not the whole help (a CI log shows the
 * mistake, not 30 lines of flags): `codesync: USAGE: unknown option '--bogus'; see codesync publish --help`.
 */
export function oneLineUsageErrors(program) {
    for (const command of everyCommand(program)) {
        const name = fullName(command);
        command.configureOutput({
            // commander may add a second line ("(Did you mean --version?)"): one line all the same.
            outputError: (text, write) => write(`codesync: USAGE: ${text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}; see ${name} --help\n`),
        });
    }
}
//# sourceMappingURL=usage.js.map