import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../../server/index.js';
import { pullMeterPlugin } from '../../server/pull-slots/plugin.js';
import { ApiClient } from '../../protocol/client/api-client.js';
import { agentOptions } from '../commands/agent.js';
import { createLogger } from '../logger.js';
import { publishTree } from '../publish/publish-tree.js';
import { runAgent } from '../run-agent.js';
import { waitForSignal } from '../wait-for-signal.js';
/** The example tree shipped with codesync (package root `example/hello`). */
const EXAMPLE_DIR = fileURLToPath(new URL('../../../example/hello/', import.meta.url));
const EXAMPLE_APP = 'hello';
/** `codesync up`: server, agent and the example app in one process until Ctrl-C. */
export async function runUp(flags) {
    const log = createLogger();
    const data = resolve(flags.data);
    await mkdir(join(data, 'server'), { recursive: true });
    const server = await createServer({ dataDir: join(data, 'server'), host: flags.listen.host, port: flags.listen.port, logger: log.child({ part: 'server' }), plugins: [pullMeterPlugin({})] });
    const url = await server.listen();
    const node = hostname();
    const { agent, stop } = await runAgent({
        server: url,
        root: join(data, 'agent'),
        node,
        labels: '',
        listen: flags.agentListen,
        keepReleases: agentOptions.keepReleases.default,
        verifyInterval: agentOptions.verifyInterval.default,
        socket: join(data, 'codesync.sock'),
        labelNodeReady: false,
        pruneAfter: 0,
    }, log.child({ part: 'agent' }));
    try {
        const controller = new AbortController();
        const client = new ApiClient({ server: url });
        // Apps exist on purpose: the example app is created (every node holds it) before its first publish.
        await client.putApp(EXAMPLE_APP, { nodeSelector: '' }, controller.signal);
        const published = await publishTree(client, {
            dir: EXAMPLE_DIR,
            app: EXAMPLE_APP,
            meta: { source: 'codesync up' },
            cacheFile: join(data, 'publish-cache.json'),
            signal: controller.signal,
        });
        await activation(agent.feed, published.seq);
        process.stdout.write(nextSteps({ url, data, agentUrl: agent.url, seq: published.seq, socket: join(data, 'codesync.sock') }));
        await waitForSignal();
    }
    finally {
        await stop();
        await server.close();
    }
}
/** Resolves once the agent serves `seq` (or newer) of the example app; on a re-run it already may. */
function activation(feed, seq) {
    return new Promise((done) => {
        const check = () => {
            if ((feed.current(EXAMPLE_APP)?.seq ?? 0) < seq)
                return;
            feed.off('activated', check);
            done();
        };
        feed.on('activated', check);
        check();
    });
}
function nextSteps(where) {
    const rel = (path) => relative(process.cwd(), path) || '.';
    const tree = rel(join(where.data, 'agent/apps', EXAMPLE_APP, 'current'));
    return [
        '',
        `codesync is up: server ${where.url}, agent metrics ${where.agentUrl}/metrics`,
        `example app "${EXAMPLE_APP}" seq ${where.seq} is live in ${tree}`,
        '',
        'Try next (in another terminal):',
        `  ls -l ${rel(join(where.data, 'agent/apps', EXAMPLE_APP))}`,
        `  cp -r ${rel(EXAMPLE_DIR)} /tmp/hello && echo '<?php echo "changed\\n";' > /tmp/hello/index.php`,
        `  npx codesync publish /tmp/hello --server ${where.url} --app ${EXAMPLE_APP}`,
        `  cat ${tree}/index.php`,
        `  npx codesync status --server ${where.url} --app ${EXAMPLE_APP}`,
        `  npx codesync wait --app ${EXAMPLE_APP} --socket ${rel(where.socket)}`,
        `  curl -s ${where.agentUrl}/metrics | grep codesync_agent_release_seq`,
        '',
        'Ctrl-C stops both.',
        '',
    ].join('\n');
}
//# sourceMappingURL=up.js.map