import { existsSync } from 'node:fs';
/** Where a pod's projected service-account token lives (what `loadFromCluster` reads). */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** True inside a pod: the service host variable is set and a service-account token is mounted. */
export function inCluster() {
    return Boolean(process.env.KUBERNETES_SERVICE_HOST) && existsSync(SERVICE_ACCOUNT_TOKEN);
}
/**
 * Loads `@kubernetes/client-node` and its config: `kubeconfig` when given, else the pod's
 * service account. Imported here, on demand, because the module alone adds ~50 MB RSS to a
 * process (its generated models), which an agent outside a cluster must not pay. The library
 * owns what it is good at: kubeconfig parsing, in-cluster CA and token, token refresh, auth
 * plugins and the watch stream.
 */
export async function connectKube(kubeconfig) {
    const k8s = await import('@kubernetes/client-node');
    const config = new k8s.KubeConfig();
    if (kubeconfig)
        config.loadFromFile(kubeconfig);
    else
        config.loadFromCluster();
    const server = config.getCurrentCluster()?.server;
    if (!server)
        throw new Error(`no current cluster in ${kubeconfig ?? 'the in-cluster config'}`);
    return {
        core: config.makeApiClient(k8s.CoreV1Api),
        watch: new k8s.Watch(config),
        mergePatch: k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
        server,
    };
}
//# sourceMappingURL=kube-client.js.map