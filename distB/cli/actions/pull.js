import { pullOnce } from '../../agent/one-shot-pull.js';
import { ReleaseTrust } from '../../agent/link/release-trust.js';
import { ServerPullSlots } from '../../agent/link/server-pull-slots.js';
import { ApiClient } from '../../protocol/client/api-client.js';
import { readCaFile, resolveToken } from '../client-flags.js';
import { createLogger } from '../logger.js';
/** `codesync pull`: one verified pull of one app into --dest. */
export async function runPull(flags) {
    const log = createLogger({ level: process.env.CODESYNC_LOG_LEVEL ?? 'warn' });
    const token = resolveToken({ tokenFile: flags.tokenFile });
    const controller = new AbortController();
    const abort = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', abort).once('SIGTERM', abort);
    const trust = await ReleaseTrust.fromFiles(flags.trustKey);
    const client = new ApiClient({ server: flags.server, token, ca: readCaFile(flags.caFile) });
    const slots = new ServerPullSlots({ client, node: `pull-${process.pid}`, logger: log });
    try {
        const result = await pullOnce({ ...flags, client, slots, trust, log, signal: controller.signal });
        process.stdout.write(`${result.seq} ${result.digest} ${result.path}\n`);
    }
    finally {
        await client.close();
    }
}
//# sourceMappingURL=pull.js.map