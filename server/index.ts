/** The release server (docs/api.md): `createServer` and what plugins and tests need. */
export { createServer, type CodesyncServer } from './server.js';
export type { ServerOptions, ServerPlugin, PluginContext, ResolvedServerOptions } from './options.js';
export { parseTokenFile, type ServerTokens, type RouteScope } from './auth.js';
export { checkStore } from './store/fsck.js';
export { watchTokenFile } from './token-file.js';
