/** The release server (docs/api.md): `createServer` and what the CLI starts it with. */
export { createServer } from './server.js';
export type { ServerOptions } from './options.js';
export { parseTokenFile } from './auth.js';
export { watchTokenFile } from './token-file.js';
