import { caFileOption, parseAppName, serverUrlOption, tokenFileOption } from '../client-flags.js';
import { addOptions } from '../option-table.js';
import { parseInteger } from '../options.js';
import { trustKeyOption } from '../trust-key-option.js';
export const pullOptions = {
    server: serverUrlOption,
    app: { flags: '--app <name>', doc: 'app to pull', required: true, parse: parseAppName },
    dest: { flags: '--dest <dir>', doc: "app directory to fill (same layout as the agent's apps/<app>)", required: true },
    seq: { flags: '--seq <n>', doc: 'release to pull', defaultText: 'the latest', parse: parseInteger('seq', 1) },
    tokenFile: tokenFileOption,
    verify: { flags: '--verify', doc: 're-hash every file even when DEST already holds the release (default: a quick check of sizes and modes)' },
    caFile: caFileOption,
    keepReleases: { flags: '--keep-releases <n>', doc: 'release trees kept in DEST, current included', default: 3, parse: parseInteger('keep-releases', 1) },
    trustKey: trustKeyOption,
};
export function registerPull(program) {
    const command = program
        .command('pull')
        .description('Pull one app once into DEST (DEST/current -> releases/<seq>), verified; for init containers. Prints seq, digest and path.');
    addOptions(command, pullOptions).action(async (flags) => (await import('../actions/pull.js')).runPull(flags));
}
//# sourceMappingURL=pull.js.map