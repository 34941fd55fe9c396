import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CodesyncProcess } from '../test/helpers/codesync-process.js';
import { FakeKubeApi } from '../test/helpers/fake-kube-api.js';
import { numberFlag } from './bench-args.js';
/**
 * Idle RSS of a real agent with and without the Kubernetes client: one agent with `--labels`
 * (the client is never imported) and one with `--kubeconfig` against the tests' fake API server
 * (test/helpers/fake-kube-api.ts; the real @kubernetes/client-node, watches open on its Node and
 * pods). Both follow one server (no app) and are read from /proc/PID/status (VmRSS)
 * after `--settle` seconds (default 20) idle. Also counts the API requests the kube agent made in
 * that idle window (steady state: watches only, renewed every timeoutSeconds).
 */
export async function run(args) {
    const settleMs = numberFlag(args, 'settle', 20) * 1000;
    const dir = await mkdtemp(join(tmpdir(), 'codesync-bench-kube-'));
    const api = new FakeKubeApi({ bookmarkMs: 60_000 });
    const procs = [];
    try {
        await api.start();
        api.addNode('node-a', { pool: 'web' });
        const server = new CodesyncProcess(['server', '--data', join(dir, 'server'), '--listen', '127.0.0.1:0'], { env: { CODESYNC_LOG_LEVEL: 'info' } });
        procs.push(server);
        const url = await server.ready(120_000);
        const kubeconfig = await api.writeKubeconfig(dir);
        const common = ['agent', '--server', url, '--listen', '127.0.0.1:0', '--no-socket', '--node', 'node-a'];
        const plain = new CodesyncProcess([...common, '--root', join(dir, 'plain'), '--labels', 'pool=web'], { env: { CODESYNC_LOG_LEVEL: 'info' } });
        const kube = new CodesyncProcess([...common, '--root', join(dir, 'kube'), '--kubeconfig', kubeconfig], { env: { CODESYNC_LOG_LEVEL: 'info' } });
        procs.push(plain, kube);
        await Promise.all([plain.ready(120_000), kube.ready(120_000)]);
        await kube.waitForLog((line) => line.msg === 'node labels changed', 120_000);
        const watches = () => api.requests.filter((request) => request.query.get('watch') === 'true').length;
        while (watches() < 2)
            await sleep(100);
        const before = api.requests.length;
        await sleep(settleMs);
        const calls = api.requests.slice(before).map((request) => `${request.method} ${request.path}${request.query.get('watch') ? ' (watch)' : ''}`);
        const rss = async (proc) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${proc.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
        process.stdout.write(`idle agent RSS after ${settleMs / 1000} s: --labels ${(await rss(plain)).toFixed(0)} MB, --kubeconfig ${(await rss(kube)).toFixed(0)} MB\n`);
        process.stdout.write(`kube API requests in that window: ${calls.length}${calls.length ? ` (${calls.join(', ')})` : ''}\n`);
    }
    finally {
        await Promise.all(procs.map((proc) => proc.stop()));
        await api.stop();
        await rm(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=kube-memory.js.map