import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { clientFrom, interruptSignal } from '../client-flags.js';
import { usageError } from '../fail.js';
import { table } from '../table.js';
/** `codesync apps list`. */
export async function listApps(flags) {
    const list = await withClient(flags, (client, signal) => client.listApps(signal));
    process.stdout.write(flags.json ? `${JSON.stringify(list, null, 2)}\n` : appsTable(list));
}
/** `codesync apps create NAME`. */
export async function createApp(name, flags) {
    const info = await withClient(flags, async (client, signal) => {
        // PUT creates or updates: asking first keeps `create` from silently changing an existing app.
        const existing = await client.getApp(name, signal).catch((err) => {
            if (isCodesyncError(err, 'APP_NOT_FOUND'))
                return undefined;
            throw err;
        });
        if (existing)
            throw new CodesyncError('APP_EXISTS', `app ${name} already exists (selector ${JSON.stringify(existing.nodeSelector)}); change it with \`codesync apps set ${name}\``);
        return client.putApp(name, specOf(flags), signal);
    });
    printApp(info, flags.json === true);
}
/** `codesync apps set NAME`. */
export async function setApp(name, flags) {
    const spec = specOf(flags);
    if (Object.keys(spec).length === 0)
        throw usageError('apps set needs --selector, --keep-releases or --external-symlinks');
    const info = await withClient(flags, async (client, signal) => {
        await client.getApp(name, signal);
        return client.putApp(name, spec, signal);
    });
    printApp(info, flags.json === true);
}
/** `codesync apps delete NAME`. */
export async function deleteApp(name, flags) {
    await withClient(flags, (client, signal) => client.deleteApp(name, signal));
    process.stdout.write(`deleted ${name}\n`);
}
function specOf(flags) {
    const spec = {};
    if (flags.selector !== undefined)
        spec.nodeSelector = flags.selector;
    if (flags.keepReleases !== undefined)
        spec.keepReleases = flags.keepReleases;
    if (flags.externalSymlinks !== undefined)
        spec.externalSymlinks = flags.externalSymlinks;
    return spec;
}
async function withClient(flags, work) {
    const client = await clientFrom(flags);
    try {
        return await work(client, interruptSignal());
    }
    finally {
        await client.close();
    }
}
function printApp(info, json) {
    const external = info.externalSymlinks === 'allow' ? ' externalSymlinks=allow' : '';
    process.stdout.write(json ? `${JSON.stringify(info)}\n` : `${info.name} selector=${JSON.stringify(info.nodeSelector)} keepReleases=${info.keepReleases}${external}\n`);
}
function appsTable(apps) {
    if (apps.length === 0)
        return 'no apps\n';
    return table(['APP', 'SELECTOR', 'KEEP', 'LATEST', 'PUBLISHED'], apps.map((app) => [app.name, app.nodeSelector || '(all nodes)', String(app.keepReleases), app.latest ? String(app.latest.seq) : '-', app.latest?.createdAt ?? '-']));
}
//# sourceMappingURL=apps.js.map