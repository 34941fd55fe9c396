import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServerOptions } from '../../server/index.js';
import { usageError } from '../fail.js';
import { createLogger } from '../logger.js';
import { envOption, parseBytes, parseInteger, parseListen } from '../options.js';
import { parseDuration } from './agent.js';
import { readSigningKey } from '../publish/sign-key.js';

interface ServerFlags {
  data?: string;
  listen: string;
  tokenFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  keepReleases: number;
  maxConcurrentPulls: number;
  maxBandwidth: number;
  slotTtl: number;
  gcGraceSeconds: number;
  heartbeatSeconds: number;
  importPasswordDir?: string;
  importTimeout: number;
  forgetNodesAfter: number;
  importSignKey?: string;
}

export function registerServer(program: Command): void {
  program
    .command('server')
    .description('run the release server (docs/api.md): stores published trees, notifies agents, meters pulls')
    .addOption(envOption('--data <dir>', 'store directory (blobs, releases, event log)'))
    .addOption(envOption('--listen <host:port>', 'address to listen on').default('0.0.0.0:7400'))
    .addOption(envOption('--token-file <file>', 'bearer tokens, one `publish:<token>` or `read:<token>` a line, re-read when it changes or on SIGHUP; none = no auth'))
    .addOption(envOption('--tls-cert <file>', 'serve HTTPS with this PEM certificate chain (with --tls-key; SIGHUP re-reads both)'))
    .addOption(envOption('--tls-key <file>', 'PEM private key of --tls-cert'))
    .addOption(envOption('--keep-releases <n>', 'releases kept per app unless the app sets its own').default(10).argParser(parseInteger('keep-releases', 1)))
    .addOption(envOption('--max-concurrent-pulls <n>', 'pull slots granted at once; 0 turns metering off').default(8).argParser(parseInteger('max-concurrent-pulls', 0)))
    .addOption(envOption('--max-bandwidth <size>', 'blob bytes per second all pulls share, e.g. 200MiB; 0 = no cap').default(0).argParser(parseBytes('max-bandwidth')))
    .addOption(envOption('--slot-ttl <seconds>', 'seconds a pull slot lives without a blob request').default(30).argParser(parseInteger('slot-ttl', 1)))
    .addOption(envOption('--gc-grace-seconds <n>', 'unreferenced blobs younger than this survive garbage collection').default(600).argParser(parseInteger('gc-grace-seconds', 0)))
    .addOption(envOption('--import-password-dir <dir>', 'directory an app\'s importPasswordFile names its rsync password file in (default: DATA/import-passwords)'))
    .addOption(envOption('--import-timeout <seconds>', 'seconds an rsync import may go without I/O before it fails').default(60).argParser(parseInteger('import-timeout', 1)))
    .addOption(envOption('--import-sign-key <file>', 'Ed25519 private key (PKCS#8 PEM) that signs rsync imports, for agents told to trust it; none: imports are unsigned'))
    .addOption(envOption('--heartbeat-seconds <n>', 'seconds between heartbeat comments on event streams').default(15).argParser(parseInteger('heartbeat-seconds', 1)))
    .addOption(envOption('--forget-nodes-after <duration>', 'forget a node silent this long (its lag alerts first); 0 never forgets').default(86_400_000, '24h').argParser(parseDuration))
    .action(async (flags: ServerFlags) => {
      if (!flags.data) throw usageError('--data DIR is required (or CODESYNC_DATA)');
      if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) throw usageError('--tls-cert and --tls-key go together: give both, or neither for plain http');
      const logger = createLogger({ name: 'codesync-server' });
      // Loaded here, not at the top: every `codesync` command would otherwise pay for fastify.
      const [{ createServer, parseTokenFile, watchTokenFile }, { pullMeterPlugin }, { readTlsFiles }] = await Promise.all([
        import('../../server/index.js'), import('../../server/pull-slots/plugin.js'), import('../../server/tls.js'),
      ]);
      const { host, port } = parseListen(flags.listen);
      const options: ServerOptions = {
        dataDir: resolve(flags.data),
        host,
        port,
        keepReleases: flags.keepReleases,
        maxConcurrentPulls: flags.maxConcurrentPulls,
        gcGraceSeconds: flags.gcGraceSeconds,
        heartbeatSeconds: flags.heartbeatSeconds,
        importTimeoutSeconds: flags.importTimeout,
        forgetNodesAfterSeconds: flags.forgetNodesAfter / 1000,
        logger,
        plugins: [pullMeterPlugin({ maxConcurrentPulls: flags.maxConcurrentPulls, maxBandwidth: flags.maxBandwidth, slotTtlSeconds: flags.slotTtl })],
      };
      if (flags.importPasswordDir) options.importPasswordDir = resolve(flags.importPasswordDir);
      if (flags.tokenFile) options.tokens = parseTokenFile(await readFile(flags.tokenFile, 'utf8'));
      if (flags.importSignKey) options.importSignKey = await readSigningKey(flags.importSignKey, '--import-sign-key');
      const { tlsCert, tlsKey } = flags;
      if (tlsCert && tlsKey) options.tls = await readTlsFiles(tlsCert, tlsKey);
      const server = await createServer(options);
      await server.listen();
      // Token rotation without a restart: the file is re-read when it changes, or on SIGHUP.
      const tokens = flags.tokenFile ? watchTokenFile(flags.tokenFile, (next) => server.replaceTokens(next), logger) : undefined;
      // A renewed certificate (cert-manager, a rotated Secret) takes effect on SIGHUP too: open
      // connections keep theirs, new ones get the new one. A bad pair is logged and the old one kept.
      const reloadTls = () => {
        if (!tlsCert || !tlsKey) return;
        readTlsFiles(tlsCert, tlsKey).then(
          (files) => server.reloadTls(files),
          (err: unknown) => logger.error({ err: (err as Error).message }, 'TLS reload failed; serving the previous certificate'),
        );
      };
      const hangUp = () => {
        void tokens?.reload('SIGHUP');
        reloadTls();
      };
      if (tokens || tlsCert) process.on('SIGHUP', hangUp);
      await new Promise<void>((done) => {
        const stop = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'shutting down');
          tokens?.close();
          process.off('SIGHUP', hangUp);
          server.close().then(done, (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            done();
          });
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      logger.info('stopped');
    });
}
