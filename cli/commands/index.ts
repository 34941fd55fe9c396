import type { Command } from 'commander';
import { registerServer } from './server.js';
import { registerAgent } from './agent.js';
import { registerUp } from './up.js';
import { registerPublish } from './publish.js';
import { registerStatus } from './status.js';
import { registerRollback } from './rollback.js';
import { registerPull } from './pull.js';
import { registerWait } from './wait.js';
import { registerReloadHook } from './reload-hook.js';
import { registerApps } from './apps.js';
import { registerReleases } from './releases.js';
import { registerNodes } from './nodes.js';

/** Each subcommand lives in its own file and registers itself on the program. */
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
