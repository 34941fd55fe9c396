/** The release server (docs/api.md): `createServer` and what the CLI starts it with. */
export { createServer } from './server.js';
export { parseTokenFile } from './auth.js';
export { watchTokenFile } from './token-file.js';
//# sourceMappingURL=index.js.map