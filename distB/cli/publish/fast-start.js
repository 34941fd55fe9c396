import { parsePlainArgv } from '../plain-argv.js';
import { publishOptions } from './publish-options.js';
/**
 * Runs `codesync publish ARGS` without commander when ARGS is a plain command line (a CI job's
 * `publish DIR --server U --app A ...`): commander, the program and its option objects were about
 * a sixth of a one-file re-publish's start. False, having run nothing, when commander has to read
 * the line (help, a usage error), so every message stays commander's.
 */
export async function startPublish(args) {
    const parsed = parsePlainArgv(publishOptions, args, process.env, { operands: 1 });
    if (!parsed)
        return false;
    const { runPublish } = await import('../actions/publish.js');
    await runPublish(parsed.operands[0], parsed.flags);
    return true;
}
//# sourceMappingURL=fast-start.js.map