/** For servers that do not meter pulls. */
export const unmeteredSlots = {
    acquire: async () => ({ slot: undefined, release: async () => { } }),
};
//# sourceMappingURL=pull-slots.js.map