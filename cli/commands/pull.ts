import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { assertAppName } from '../../protocol/app-name.js';
import { createLogger } from '../logger.js';
import { envOption, parseInteger } from '../options.js';
import { caFileOption, readCaFile } from '../client-flags.js';
import { trustKeyOption } from '../trust-key-option.js';

interface PullFlags {
  server: string;
  app: string;
  dest: string;
  seq?: number;
  tokenFile?: string;
  caFile?: string;
  keepReleases: number;
  trustKey: string[];
  verify?: boolean;
}

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('Pull one app once into DEST (DEST/current -> releases/<seq>), verified; for init containers. Prints seq, digest and path.')
    .addOption(envOption('--server <url>', 'release server URL').makeOptionMandatory())
    .addOption(envOption('--app <name>', 'app to pull').makeOptionMandatory())
    .addOption(envOption('--dest <dir>', 'app directory to fill (same layout as the agent\'s apps/<app>)').makeOptionMandatory())
    .addOption(envOption('--seq <n>', 'release to pull (default: the latest)').argParser(parseInteger('seq', 1)))
    .addOption(envOption('--token-file <file>', 'file holding a read-scope bearer token'))
    .addOption(envOption('--verify', 're-hash every file even when DEST already holds the release (default: a quick check of sizes and modes)'))
    .addOption(caFileOption())
    .addOption(envOption('--keep-releases <n>', 'release trees kept in DEST, current included').default(3).argParser(parseInteger('keep-releases', 1)))
    .addOption(trustKeyOption())
    .action(async (flags: PullFlags) => {
      assertAppName(flags.app);
      const log = createLogger({ level: process.env.CODESYNC_LOG_LEVEL ?? 'warn' });
      const token = flags.tokenFile ? (await readFile(flags.tokenFile, 'utf8')).trim() : undefined;
      const controller = new AbortController();
      const abort = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', abort).once('SIGTERM', abort);
      const [{ pullOnce }, { ServerPullSlots }, { ReleaseTrust }, { ApiClient }] = await Promise.all([
        import('../../agent/one-shot-pull.js'), import('../../agent/link/server-pull-slots.js'), import('../../agent/link/release-trust.js'), import('../../protocol/client/api-client.js'),
      ]);
      const trust = await ReleaseTrust.fromFiles(flags.trustKey);
      const client = new ApiClient({ server: flags.server, token, ca: readCaFile(flags.caFile) });
      const slots = new ServerPullSlots({ client, node: `pull-${process.pid}`, logger: log });
      try {
        const result = await pullOnce({ ...flags, client, slots, trust, log, signal: controller.signal });
        process.stdout.write(`${result.seq} ${result.digest} ${result.path}\n`);
      } finally {
        await client.close();
      }
    });
}
