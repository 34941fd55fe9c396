import { createLogger } from '../logger.js';
import { runAgent } from '../run-agent.js';
import { waitForSignal } from '../wait-for-signal.js';
/** `codesync agent`: runs until SIGTERM or SIGINT. */
export async function runAgentCommand(flags) {
    const log = createLogger();
    const { agent, stop } = await runAgent(flags, log);
    await waitForSignal();
    log.info({ node: agent.options.node }, 'stopping');
    await stop();
}
//# sourceMappingURL=agent.js.map