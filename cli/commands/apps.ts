import { Option, type Command } from 'commander';
import type { AppInfo, AppSpec, ExternalSymlinks } from '../../protocol/api.js';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
import { addClientFlags, clientFrom, interruptSignal, parseAppName, type ClientFlags } from '../client-flags.js';
import { usageError } from '../fail.js';
import { envOption, parseInteger, parseSelectorFlag } from '../options.js';
import { table } from '../table.js';

interface SpecFlags extends ClientFlags {
  selector?: string;
  keepReleases?: number;
  externalSymlinks?: ExternalSymlinks;
  json?: boolean;
}

/**
 * `codesync apps list|create|set|delete`: apps exist on purpose (a publish to an unknown app is
 * APP_NOT_FOUND), so creating one, changing its selector and deleting it are commands, not curl.
 */
export function registerApps(program: Command): void {
  const apps = program.command('apps').description('list, create, change and delete apps (which nodes hold them, how many releases the server keeps)');

  addClientFlags(apps.command('list').description('every app with its selector, kept releases and latest seq'))
    .option('--json', "print the server's JSON answer as is")
    .action(async (flags: ClientFlags & { json?: boolean }) => {
      const list = await withClient(flags, (client, signal) => client.listApps(signal));
      process.stdout.write(flags.json ? `${JSON.stringify(list, null, 2)}\n` : appsTable(list));
    });

  addSpecFlags(addClientFlags(apps.command('create').description('create an app; --selector says which nodes hold it').argument('<app>', 'app name', parseAppName)), true)
    .action(async (name: string, flags: SpecFlags) => {
      const info = await withClient(flags, async (client, signal) => {
        // PUT creates or updates: asking first keeps `create` from silently changing an existing app.
        const existing = await client.getApp(name, signal).catch((err: unknown) => {
          if (isCodesyncError(err, 'APP_NOT_FOUND')) return undefined;
          throw err;
        });
        if (existing) throw new CodesyncError('APP_EXISTS', `app ${name} already exists (selector ${JSON.stringify(existing.nodeSelector)}); change it with \`codesync apps set ${name}\``);
        return client.putApp(name, specOf(flags), signal);
      });
      printApp(info, flags.json === true);
    });

  addSpecFlags(addClientFlags(apps.command('set').description("change an existing app's selector, kept releases or external symlinks").argument('<app>', 'app name', parseAppName)), false)
    .action(async (name: string, flags: SpecFlags) => {
      const spec = specOf(flags);
      if (Object.keys(spec).length === 0) throw usageError('apps set needs --selector, --keep-releases or --external-symlinks');
      const info = await withClient(flags, async (client, signal) => {
        await client.getApp(name, signal);
        return client.putApp(name, spec, signal);
      });
      printApp(info, flags.json === true);
    });

  addClientFlags(apps.command('delete').description('delete an app and its releases; agents stop updating it (node files stay until --prune)').argument('<app>', 'app name', parseAppName))
    .action(async (name: string, flags: ClientFlags) => {
      await withClient(flags, (client, signal) => client.deleteApp(name, signal));
      process.stdout.write(`deleted ${name}\n`);
    });
}

function addSpecFlags(command: Command, creating: boolean): Command {
  const selector = envOption('--selector <selector>', "Kubernetes label selector of the nodes that hold the app, e.g. 'env=prod,tier in (web)'; '' selects every node").argParser(parseSelectorFlag);
  return command
    .addOption(creating ? selector.makeOptionMandatory() : selector)
    .addOption(envOption('--keep-releases <n>', "releases the server keeps (default: the server's --keep-releases)").argParser(parseInteger('keep-releases', 1)))
    .addOption(new Option('--external-symlinks <policy>', 'allow: links leaving the tree are kept verbatim (docs/security.md); refuse: they fail the publish (the default)').choices(['allow', 'refuse']))
    .option('--json', 'print the app as JSON');
}

function specOf(flags: SpecFlags): AppSpec {
  const spec: AppSpec = {};
  if (flags.selector !== undefined) spec.nodeSelector = flags.selector;
  if (flags.keepReleases !== undefined) spec.keepReleases = flags.keepReleases;
  if (flags.externalSymlinks !== undefined) spec.externalSymlinks = flags.externalSymlinks;
  return spec;
}

async function withClient<T>(flags: ClientFlags, work: (client: ReturnType<typeof clientFrom>, signal: AbortSignal) => Promise<T>): Promise<T> {
  const client = clientFrom(flags);
  try {
    return await work(client, interruptSignal());
  } finally {
    await client.close();
  }
}

function printApp(info: AppInfo, json: boolean): void {
  const external = info.externalSymlinks === 'allow' ? ' externalSymlinks=allow' : '';
  process.stdout.write(json ? `${JSON.stringify(info)}\n` : `${info.name} selector=${JSON.stringify(info.nodeSelector)} keepReleases=${info.keepReleases}${external}\n`);
}

function appsTable(apps: AppInfo[]): string {
  if (apps.length === 0) return 'no apps\n';
  return table(
    ['APP', 'SELECTOR', 'KEEP', 'LATEST', 'PUBLISHED'],
    apps.map((app) => [app.name, app.nodeSelector || '(all nodes)', String(app.keepReleases), app.latest ? String(app.latest.seq) : '-', app.latest?.createdAt ?? '-']),
  );
}
