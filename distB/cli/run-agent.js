import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Agent } from '../agent/agent.js';
import { inCluster } from '../agent/kube/kube-client.js';
import { resolveNodeName } from '../agent/kube/node-name.js';
import { StaticNodeLabels } from '../agent/kube/node-labels.js';
import { ServerPullSlots } from '../agent/link/server-pull-slots.js';
import { ReleaseTrust } from '../agent/link/release-trust.js';
import { combineReloadTargets, staticReloadTargets } from '../agent/reload/targets/reload-target-source.js';
import { ApiClient } from '../protocol/client/api-client.js';
import { parseLabels } from '../protocol/selector.js';
import { readCaFile } from './client-flags.js';
/**
 * Starts an agent with its socket and reload notifier; `up` uses this too. The cluster, socket
 * and notifier modules load only when this agent uses them: module loading is most of an agent's
 * start, which every node of a scale-up pays before its cold sync.
 */
export async function runAgent(flags, log) {
    const token = flags.tokenFile ? (await readFile(flags.tokenFile, 'utf8')).trim() : undefined;
    const cluster = Boolean(flags.kubeconfig) || inCluster();
    const node = resolveNodeName(flags.node, cluster);
    if (flags.labelNodeReady && !cluster)
        log.warn('--label-node-ready does nothing outside a cluster');
    if (cluster && flags.labels)
        log.warn({ labels: flags.labels }, '--labels is ignored in a cluster: the labels come from the Node');
    // The Kubernetes client is loaded only here, when there is an API server to talk to.
    const kube = cluster ? await (await import('../agent/kube/cluster-integration.js')).ClusterIntegration.connect({ kubeconfig: flags.kubeconfig, node, log, labelNodeReady: flags.labelNodeReady }) : undefined;
    const labels = kube?.labels ?? new StaticNodeLabels(parseLabels(flags.labels));
    const client = new ApiClient({ server: flags.server, token, ca: readCaFile(flags.caFile) });
    if (client.plainHttpOffLoopback)
        log.warn({ server: client.origin }, 'talking to the server over plain http: tokens and trees cross the network unencrypted (see docs/security.md, Transport)');
    const slots = new ServerPullSlots({ client, node, logger: log });
    const trust = await ReleaseTrust.fromFiles(flags.trustKey ?? []);
    if (trust)
        log.info({ keyIds: trust.keyIds }, 'installing only releases signed by these keys');
    else
        log.warn('no --trust-key: unsigned releases are accepted (development only)');
    const agent = new Agent({
        client,
        root: resolve(flags.root),
        node,
        labels,
        pruneAfterMs: flags.pruneAfter,
        ...(kube ? { appInUse: (app) => kube.pods.runs(app) } : {}),
        listen: flags.listen,
        keepReleases: flags.keepReleases,
        verifyIntervalMs: flags.verifyInterval,
        slots,
        trust,
        log: log.child({ node }),
    });
    const controller = new AbortController();
    kube?.attach(agent, agent.metrics.registry, controller.signal);
    await agent.start();
    const socket = flags.socket
        ? await (await import('../agent/reload/socket/reload-socket.js')).startReloadSocket({ path: flags.socket, group: flags.socketGroup, feed: agent.feed, selection: (app) => agent.selection(app), logger: log, signal: controller.signal, registry: agent.metrics.registry })
        : undefined;
    const urls = flags.reloadUrl ? staticReloadTargets(flags.reloadUrl) : undefined;
    const targets = kube && urls ? combineReloadTargets(urls, kube.pods) : (kube?.pods ?? urls);
    if (targets)
        (await import('../agent/reload/targets/reload-notifier.js')).startReloadNotifier({ targets, feed: agent.feed, logger: log, signal: controller.signal });
    return {
        agent,
        stop: async () => {
            controller.abort();
            await socket?.close();
            await agent.stop();
            await client.close();
        },
    };
}
//# sourceMappingURL=run-agent.js.map