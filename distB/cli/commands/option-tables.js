import { serverOptions } from './server.js';
import { agentOptions } from './agent.js';
import { upOptions } from './up.js';
import { publishOptions } from '../publish/publish-options.js';
import { statusOptions } from './status.js';
import { rollbackOptions } from './rollback.js';
import { pullOptions } from './pull.js';
import { waitOptions } from './wait.js';
import { reloadHookOptions } from '../reload-hook/reload-hook-options.js';
import { appSpecOptions, appsDeleteOptions, appsListOptions } from './apps.js';
import { releasesOptions } from './releases.js';
import { nodesListOptions, nodesRmOptions } from './nodes.js';
/** Every command's option table, by its name after `codesync`: docs/config.md is checked against these. */
export const optionTables = {
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
//# sourceMappingURL=option-tables.js.map