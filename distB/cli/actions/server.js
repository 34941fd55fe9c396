import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createServer, parseTokenFile, watchTokenFile } from '../../server/index.js';
import { pullMeterPlugin } from '../../server/pull-slots/plugin.js';
import { readTlsFiles } from '../../server/tls.js';
import { usageError } from '../fail.js';
import { createLogger } from '../logger.js';
import { readSigningKey } from '../publish/sign-key.js';
/** `codesync server`: runs until SIGTERM or SIGINT, then drains. */
export async function runServer(flags) {
    if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey))
        throw usageError('--tls-cert and --tls-key go together: give both, or neither for plain http');
    const logger = createLogger({ name: 'codesync-server' });
    const tokenList = flags.tokenList ?? flags.tokenFile;
    if (!flags.tokenList && flags.tokenFile) {
        logger.warn({ file: flags.tokenFile }, "--token-file (CODESYNC_TOKEN_FILE) of `codesync server` is deprecated: name the scoped token list with --token-list (CODESYNC_TOKEN_LIST); clients' --token-file holds one bare token");
    }
    const options = {
        dataDir: resolve(flags.data),
        host: flags.listen.host,
        port: flags.listen.port,
        keepReleases: flags.keepReleases,
        maxConcurrentPulls: flags.maxConcurrentPulls,
        gcGraceSeconds: flags.gcGraceSeconds / 1000,
        heartbeatSeconds: flags.heartbeatSeconds / 1000,
        // rsync --timeout takes whole seconds.
        importTimeoutSeconds: Math.ceil(flags.importTimeout / 1000),
        forgetNodesAfterSeconds: flags.forgetNodesAfter / 1000,
        logger,
        plugins: [pullMeterPlugin({ maxConcurrentPulls: flags.maxConcurrentPulls, maxBandwidth: flags.maxBandwidth, slotTtlSeconds: flags.slotTtl / 1000 })],
    };
    if (flags.importPasswordDir)
        options.importPasswordDir = resolve(flags.importPasswordDir);
    if (tokenList)
        options.tokens = parseTokenFile(await readFile(tokenList, 'utf8'));
    if (flags.importSignKey)
        options.importSignKey = await readSigningKey(flags.importSignKey, '--import-sign-key');
    const { tlsCert, tlsKey } = flags;
    if (tlsCert && tlsKey)
        options.tls = await readTlsFiles(tlsCert, tlsKey);
    const server = await createServer(options);
    await server.listen();
    // Token rotation without a restart: the file is re-read when it changes, or on SIGHUP.
    const tokens = tokenList ? watchTokenFile(tokenList, (next) => server.replaceTokens(next), logger) : undefined;
    // A renewed certificate (cert-manager, a rotated Secret) takes effect on SIGHUP too: open
    // connections keep theirs, new ones get the new one. A bad pair is logged and the old one kept.
    const reloadTls = () => {
        if (!tlsCert || !tlsKey)
            return;
        readTlsFiles(tlsCert, tlsKey).then((files) => server.reloadTls(files), (err) => logger.error({ err: err.message }, 'TLS reload failed; serving the previous certificate'));
    };
    const hangUp = () => {
        void tokens?.reload('SIGHUP');
        reloadTls();
    };
    if (tokens || tlsCert)
        process.on('SIGHUP', hangUp);
    await new Promise((done) => {
        const stop = (signal) => {
            logger.info({ signal }, 'shutting down');
            tokens?.close();
            process.off('SIGHUP', hangUp);
            server.close().then(done, (err) => {
                logger.error({ err }, 'shutdown failed');
                done();
            });
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
    });
    logger.info('stopped');
}
//# sourceMappingURL=server.js.map