/**
 * Each subcommand lives in its own file: its option table and its registration. The program
 * loads only the file of the command it runs (all of them for the top-level --help), and that
 * command's implementation (cli/actions/<command>.ts) only when it runs: `codesync --version`, a
 * `wait` init container or the reload-hook sidecar never load fastify, pino or the agent.
 * In the order `codesync --help` lists them.
 */
export const commands = {
    server: async () => (await import('./server.js')).registerServer,
    agent: async () => (await import('./agent.js')).registerAgent,
    up: async () => (await import('./up.js')).registerUp,
    publish: async () => (await import('./publish.js')).registerPublish,
    status: async () => (await import('./status.js')).registerStatus,
    rollback: async () => (await import('./rollback.js')).registerRollback,
    pull: async () => (await import('./pull.js')).registerPull,
    wait: async () => (await import('./wait.js')).registerWait,
    'reload-hook': async () => (await import('./reload-hook.js')).registerReloadHook,
    apps: async () => (await import('./apps.js')).registerApps,
    releases: async () => (await import('./releases.js')).registerReleases,
    nodes: async () => (await import('./nodes.js')).registerNodes,
};
//# sourceMappingURL=index.js.map