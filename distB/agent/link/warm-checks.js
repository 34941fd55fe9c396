import { checkResponse } from '../../protocol/client/response-check.js';
/**
 * Compiles the check of the answer a sync by delta reads (`GET .../manifest?base=`) ahead of
 * the first such sync: a check is compiled on first use, and the first delta after a cold sync
 * (round 1 of a one-file change across a fleet, every node at once) paid for it on its
 * critical path. An empty answer is refused, which is all a warm-up needs.
 */
export async function warmDeltaCheck() {
    const { ReleaseDeltaResponseSchema } = await import('../../protocol/api.js');
    try {
        checkResponse(ReleaseDeltaResponseSchema, {}, 'a warm-up');
    }
    catch {
        // Refused, as meant: the check is compiled now.
    }
}
//# sourceMappingURL=warm-checks.js.map