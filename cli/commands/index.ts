import type { Command } from 'commander';
import type { OptionTable } from '../option-table.js';
import { registerServer, serverOptions } from './server.js';
import { agentOptions, registerAgent } from './agent.js';
import { registerUp, upOptions } from './up.js';
import { publishOptions, registerPublish } from './publish.js';
import { registerStatus, statusOptions } from './status.js';
import { registerRollback, rollbackOptions } from './rollback.js';
import { pullOptions, registerPull } from './pull.js';
import { registerWait, waitOptions } from './wait.js';
import { registerReloadHook, reloadHookOptions } from './reload-hook.js';
import { appSpecOptions, appsDeleteOptions, appsListOptions, registerApps } from './apps.js';
import { registerReleases, releasesOptions } from './releases.js';
import { nodesListOptions, nodesRmOptions, registerNodes } from './nodes.js';

/**
 * Each subcommand lives in its own file: its option table and its registration, light to load.
 * Its implementation (cli/actions/<command>.ts) is imported when the command runs, so
 * `codesync --version` or a `wait` init container never load fastify, undici or the agent.
 */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerServer,
  registerAgent,
  registerUp,
  registerPublish,
  registerStatus,
  registerRollback,
  registerPull,
  registerWait,
  registerReloadHook,
  registerApps,
  registerReleases,
  registerNodes,
];

/** Every command's option table, by its name after `codesync`: docs/config.md is checked against these. */
export const optionTables: Record<string, OptionTable> = {
  server: serverOptions,
  agent: agentOptions,
  up: upOptions,
  pull: pullOptions,
  publish: publishOptions,
  status: statusOptions,
  rollback: rollbackOptions,
  releases: releasesOptions,
  'apps list': appsListOptions,
  'apps create': appSpecOptions(true),
  'apps set': appSpecOptions(false),
  'apps delete': appsDeleteOptions,
  'nodes list': nodesListOptions,
  'nodes rm': nodesRmOptions,
  wait: waitOptions,
  'reload-hook': reloadHookOptions,
};
