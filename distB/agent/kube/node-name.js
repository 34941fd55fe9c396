import { hostname } from 'node:os';
import { CodesyncError } from '../../protocol/errors.js';
/**
 * The node's name: `--node`, else `NODE_NAME` (the downward API's `spec.nodeName`). Outside a
 * cluster the hostname will do; in one it will not: without hostNetwork the hostname is the pod's
 * name, and watching a Node of that name would find none and hold no app, silently. USAGE (exit 2).
 */
export function resolveNodeName(flag, inCluster, env = process.env) {
    const name = flag || env.NODE_NAME;
    if (name)
        return name;
    if (!inCluster)
        return hostname();
    throw new CodesyncError('USAGE', 'in a cluster the node name must be given: set NODE_NAME from the downward API (env: NODE_NAME, valueFrom.fieldRef.fieldPath: spec.nodeName) or pass --node; the hostname is the pod name there');
}
//# sourceMappingURL=node-name.js.map