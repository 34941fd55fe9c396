import { parsePlainArgv } from '../plain-argv.js';
import { reloadHookOptions } from './reload-hook-options.js';
/**
 * Runs `codesync reload-hook ARGS` without commander when ARGS is a plain command line (the
 * chart's form: `--app=shop --signal=USR2 --pid-file=...`, or `... -- CMD`); false, having run
 * nothing, when commander has to read it (help, a usage error), so every message stays commander's.
 */
export async function startReloadHook(args) {
    const parsed = parsePlainArgv(reloadHookOptions, args);
    if (!parsed)
        return false;
    const { runReloadHookCommand } = await import('../actions/reload-hook.js');
    await runReloadHookCommand(parsed.operands, parsed.flags);
    return true;
}
//# sourceMappingURL=fast-start.js.map