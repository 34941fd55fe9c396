export const benches = {
    publish: async () => (await import('./publish.js')).run,
    reload: async () => (await import('./reload.js')).run,
    cli: async () => (await import('./cli.js')).run,
    propagation: async () => (await import('./propagation.js')).run,
    herd: async () => (await import('./herd.js')).run,
    import: async () => (await import('./import.js')).run,
    validate: async () => (await import('./validate.js')).run,
    pull: async () => (await import('./pull.js')).run,
    'kube-memory': async () => (await import('./kube-memory.js')).run,
    'server-memory': async () => (await import('./server-memory.js')).run,
};
//# sourceMappingURL=benches.js.map