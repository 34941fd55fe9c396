import { createRequire } from 'node:module';
/**
 * commander, required as the CommonJS package it is: its ESM entry only re-exports the CommonJS
 * one, and importing it makes Node scan that source for its export names first (cjs-module-lexer),
 * ~25 ms of CPU on every CLI start.
 */
export const { Command, Option } = createRequire(import.meta.url)('commander');
//# sourceMappingURL=commander.js.map