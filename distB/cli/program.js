import { Command } from './commander.js';
import { readFileSync } from 'node:fs';
import { commands } from './commands/index.js';
import { markRequiredOptions, oneLineUsageErrors } from './usage.js';
/**
 * The `codesync` program for `argv`: the command argv names is registered alone, `--version`
 * registers none, anything else (help, a typo commander suggests a fix for) all of them.
 */
export async function buildProgram(argv = process.argv) {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const program = new Command('codesync').description('Ship code trees to Kubernetes nodes in seconds.').version(version).exitOverride();
    const first = argv[2];
    const names = first !== undefined && Object.hasOwn(commands, first) ? [first] : first === '--version' || first === '-V' ? [] : Object.keys(commands);
    for (const register of await Promise.all(names.map((name) => commands[name]())))
        register(program);
    markRequiredOptions(program);
    oneLineUsageErrors(program);
    return program;
}
//# sourceMappingURL=program.js.map