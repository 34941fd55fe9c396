import { clientOptions, parseAppName } from '../client-flags.js';
import { addOptions } from '../option-table.js';
import { parseInteger, parseSelectorFlag } from '../options.js';
const json = { flags: '--json', doc: "print the server's JSON answer as is", env: false };
export const appsListOptions = { ...clientOptions, json };
/** `apps create` and `apps set`: the app's spec; `create` requires --selector. */
export function appSpecOptions(creating) {
    return {
        ...clientOptions,
        selector: { flags: '--selector <selector>', doc: "Kubernetes label selector of the nodes that hold the app, e.g. 'env=prod,tier in (web)'; '' selects every node", required: creating, parse: parseSelectorFlag },
        keepReleases: { flags: '--keep-releases <n>', doc: 'releases the server keeps', defaultText: "the server's --keep-releases", parse: parseInteger('keep-releases', 1) },
        externalSymlinks: { flags: '--external-symlinks <policy>', doc: 'allow: links leaving the tree are kept verbatim (docs/security.md); refuse: they fail the publish', defaultText: 'refuse', choices: ['allow', 'refuse'], env: false },
        json: { flags: '--json', doc: 'print the app as JSON', env: false },
    };
}
export const appsDeleteOptions = clientOptions;
/**
 * `codesync apps list|create|set|delete`: apps exist on purpose (a publish to an unknown app is
 * APP_NOT_FOUND), so creating one, changing its selector and deleting it are commands, not curl.
 */
export function registerApps(program) {
    const apps = program.command('apps').description('list, create, change and delete apps (which nodes hold them, how many releases the server keeps)');
    const actions = () => import('../actions/apps.js');
    addOptions(apps.command('list').description('every app with its selector, kept releases and latest seq'), appsListOptions)
        .action(async (flags) => (await actions()).listApps(flags));
    addOptions(apps.command('create').description('create an app; --selector says which nodes hold it').argument('<app>', 'app name', parseAppName), appSpecOptions(true))
        .action(async (name, flags) => (await actions()).createApp(name, flags));
    addOptions(apps.command('set').description("change an existing app's selector, kept releases or external symlinks").argument('<app>', 'app name', parseAppName), appSpecOptions(false))
        .action(async (name, flags) => (await actions()).setApp(name, flags));
    addOptions(apps.command('delete').description('delete an app and its releases; agents stop updating it (node files stay until --prune)').argument('<app>', 'app name', parseAppName), appsDeleteOptions)
        .action(async (name, flags) => (await actions()).deleteApp(name, flags));
}
//# sourceMappingURL=apps.js.map