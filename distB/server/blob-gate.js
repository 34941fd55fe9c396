/** No metering: every request is admitted at once. */
export const openGate = {
    admit: async () => ({ wrap: (body) => body, wrapBytes: (bytes) => bytes, done: () => { } }),
};
//# sourceMappingURL=blob-gate.js.map