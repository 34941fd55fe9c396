import { CodesyncProcess } from '../helpers/codesync-process.js';
import { tempDir } from '../agent/fixtures.js';
/** An agent on node-a talking to a (fake) Kubernetes API through `kubeconfig`. */
export async function startKubeAgent(t, server, kubeconfig, args = []) {
    const root = tempDir(t, 'codesync-root-');
    const proc = new CodesyncProcess(['agent', '--server', server, '--root', root, '--listen', '127.0.0.1:0', '--no-socket', '--node', 'node-a', '--kubeconfig', kubeconfig, ...args], {
        env: { CODESYNC_LOG_LEVEL: 'info' },
    });
    t.teardown(() => proc.stop('SIGKILL'));
    return { proc, url: await proc.ready(), root };
}
//# sourceMappingURL=kube-fixtures.js.map