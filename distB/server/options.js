/**
 * The server's defaults, written once: `createServer`, the pull meter and the `codesync server`
 * option table (cli/commands/server.ts, from which --help and docs/config.md come) all read them.
 */
export const SERVER_DEFAULTS = {
    host: '0.0.0.0',
    port: 7400,
    keepReleases: 10,
    gcGraceSeconds: 600,
    gcIntervalSeconds: 600,
    heartbeatSeconds: 15,
    eventLogSize: 10_000,
    maxConcurrentPulls: 8,
    /** Bytes per second all blob responses share; 0: no cap. */
    maxBandwidth: 0,
    slotTtlSeconds: 30,
    forgetNodesAfterSeconds: 86_400,
    importTimeoutSeconds: 60,
};
//# sourceMappingURL=options.js.map