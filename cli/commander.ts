import { createRequire } from 'node:module';
import type * as CommanderModule from 'commander';

/**
 * commander, required as the CommonJS package it is: its ESM entry only re-exports the CommonJS
 * one, and importing it makes Node scan that source for its export names first (cjs-module-lexer),
 * ~25 ms of CPU on every CLI start.
 */
export const { Command, Option } = createRequire(import.meta.url)('commander') as typeof CommanderModule;
export type Command = CommanderModule.Command;
export type Option = CommanderModule.Option;
