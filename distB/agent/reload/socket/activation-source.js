export {};
//# sourceMappingURL=activation-source.js.map