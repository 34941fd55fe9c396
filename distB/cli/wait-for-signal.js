/** Resolves with the first SIGINT or SIGTERM: long-running commands stop cleanly on either. */
export function waitForSignal() {
    return new Promise((resolve) => {
        const done = (signal) => {
            process.off('SIGINT', done);
            process.off('SIGTERM', done);
            resolve(signal);
        };
        process.on('SIGINT', done);
        process.on('SIGTERM', done);
    });
}
//# sourceMappingURL=wait-for-signal.js.map