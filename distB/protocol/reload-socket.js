/**
 * The node-local reload socket's wire contract (docs/agent.md): what the agent serves on it and
 * what `codesync wait` and `codesync reload-hook` read. No imports, so the CLI loads none of the agent.
 */
/** docs/agent.md: the agent's `--socket` default. */
export const DEFAULT_SOCKET_PATH = '/run/codesync/codesync.sock';
/** The socket body of `release`, fields in the order docs/agent.md shows. */
export function heldApp(release) {
    return { seq: release.seq, digest: release.digest, path: release.path, activatedAt: release.activatedAt };
}
/** The `activated` event of `release`; `initial` marks the catch-up sent at subscription time. */
export function activatedEvent(release, initial) {
    const event = { app: release.app, seq: release.seq, digest: release.digest, path: release.path };
    if (initial)
        event.initial = true;
    return event;
}
//# sourceMappingURL=reload-socket.js.map