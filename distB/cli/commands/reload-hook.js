import { addOptions } from '../option-table.js';
import { reloadHookOptions } from '../reload-hook/reload-hook-options.js';
export function registerReloadHook(program) {
    const command = program
        .command('reload-hook')
        .description('Sidecar: after each switch of the app on this node, run CMD (or send --signal to the pid in --pid-file) and ack the result.')
        .argument('[cmd...]', 'command and arguments to run after each switch (no shell); env has CODESYNC_APP, CODESYNC_SEQ, CODESYNC_PATH, CODESYNC_DIGEST');
    addOptions(command, reloadHookOptions).action(async (cmd, flags) => (await import('../actions/reload-hook.js')).runReloadHookCommand(cmd, flags));
}
//# sourceMappingURL=reload-hook.js.map