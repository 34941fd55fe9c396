import { durationFlag } from '../../protocol/duration.js';
import { SERVER_DEFAULTS } from '../../server/options.js';
import { addOptions } from '../option-table.js';
import { parseBytes, parseInteger, parseListen } from '../options.js';
export const serverOptions = {
    data: { flags: '--data <dir>', doc: 'the store directory (layout in docs/config.md); one server process per directory', required: true },
    listen: {
        flags: '--listen <host:port>',
        doc: 'address to listen on; :PORT listens on every address, port 0 picks a free one',
        default: { host: SERVER_DEFAULTS.host, port: SERVER_DEFAULTS.port },
        defaultText: `${SERVER_DEFAULTS.host}:${SERVER_DEFAULTS.port}`,
        parse: parseListen,
    },
    tokenList: { flags: '--token-list <file>', doc: 'the scoped token list, one `publish:<token>` or `read:<token>` a line, re-read when it changes or on SIGHUP; none: no auth (development only)' },
    // The flag's name until 0.1: the same name meant a bare token to every client. Still read, with a warning.
    tokenFile: { flags: '--token-file <file>', doc: 'deprecated spelling of --token-list', hidden: true },
    tlsCert: { flags: '--tls-cert <file>', doc: 'serve HTTPS with this PEM certificate chain (with --tls-key; SIGHUP re-reads both)', defaultText: 'none: plain http' },
    tlsKey: { flags: '--tls-key <file>', doc: 'PEM private key of --tls-cert' },
    keepReleases: { flags: '--keep-releases <n>', doc: 'releases kept per app unless the app sets its own keepReleases', default: SERVER_DEFAULTS.keepReleases, parse: parseInteger('keep-releases', 1) },
    maxConcurrentPulls: { flags: '--max-concurrent-pulls <n>', doc: 'pull slots granted at once (docs/throttling.md); 0 turns metering off', default: SERVER_DEFAULTS.maxConcurrentPulls, parse: parseInteger('max-concurrent-pulls', 0) },
    maxBandwidth: { flags: '--max-bandwidth <size>', doc: 'blob bytes per second all pulls share, e.g. 200MiB; 0: no cap', default: SERVER_DEFAULTS.maxBandwidth, parse: parseBytes('max-bandwidth') },
    slotTtl: { flags: '--slot-ttl <duration>', doc: "how long a pull slot lives without a blob request or renewal (a crashed agent's slot frees after this)", ...seconds('slot-ttl', SERVER_DEFAULTS.slotTtlSeconds, 1) },
    gcGraceSeconds: { flags: '--gc-grace-seconds <duration>', doc: 'an unreferenced blob younger than this survives garbage collection (uploads of a publish in progress)', ...seconds('gc-grace-seconds', SERVER_DEFAULTS.gcGraceSeconds, 0) },
    heartbeatSeconds: { flags: '--heartbeat-seconds <duration>', doc: 'time between heartbeat comments on event streams', ...seconds('heartbeat-seconds', SERVER_DEFAULTS.heartbeatSeconds, 1) },
    importPasswordDir: { flags: '--import-password-dir <dir>', doc: "the only directory an app's importPasswordFile may name a file in", defaultText: 'DATA/import-passwords' },
    importTimeout: { flags: '--import-timeout <duration>', doc: 'how long an rsync import may go without I/O before it fails with IMPORT_TIMEOUT', ...seconds('import-timeout', SERVER_DEFAULTS.importTimeoutSeconds, 1) },
    importSignKey: { flags: '--import-sign-key <file>', doc: 'Ed25519 private key (PKCS#8 PEM) that signs rsync imports, for agents told to trust it; none: imports are unsigned' },
    forgetNodesAfter: {
        flags: '--forget-nodes-after <duration>',
        doc: 'forget a node silent this long (its lag alerts first); 0 never forgets',
        default: SERVER_DEFAULTS.forgetNodesAfterSeconds * 1000,
        defaultText: '24h',
        bareUnit: 'ms',
        parse: durationFlag('forget-nodes-after', 'ms'),
    },
};
/** A duration flag whose bare number has always been seconds; the value is milliseconds. */
function seconds(flag, defaultSeconds, minSeconds) {
    return { default: defaultSeconds * 1000, defaultText: `${defaultSeconds}s`, bareUnit: 's', parse: durationFlag(flag, 's', minSeconds * 1000) };
}
export function registerServer(program) {
    addOptions(program.command('server').description('run the release server (docs/api.md): stores published trees, notifies agents, meters pulls'), serverOptions)
        .action(async (flags) => (await import('../actions/server.js')).runServer(flags));
}
//# sourceMappingURL=server.js.map