import { createHash } from 'node:crypto';
import { CodesyncError } from '../protocol/errors.js';
/**
 * Parses a token file: one `publish:<token>` or `read:<token>` a line; blank lines and lines
 * starting with `#` are ignored.
 */
export function parseTokenFile(text) {
    const tokens = { publish: [], read: [] };
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const match = /^(publish|read):(\S+)$/.exec(line);
        // The line itself is never echoed: it holds a secret.
        if (!match)
            throw new CodesyncError('USAGE', `token file line ${index + 1}: want publish:<token> or read:<token>`);
        tokens[match[1]].push(match[2]);
    });
    return tokens;
}
export function hasTokens(tokens) {
    return tokens !== undefined && tokens.publish.length + tokens.read.length > 0;
}
/**
 * The tokens the server accepts now. `replace` swaps the whole set at once (token rotation
 * without a restart): a request sees the old set or the new one, never a mix.
 */
export class TokenSet {
    scopes = new Map();
    constructor(tokens) {
        this.replace(tokens);
    }
    /** Refuses an empty set: rotating to no tokens would silently turn auth off. */
    replace(tokens) {
        if (!hasTokens(tokens))
            throw new CodesyncError('USAGE', 'the new token file holds no token; the server keeps the tokens it has');
        // Tokens are compared by their sha256, so the lookup time does not depend on the secret's bytes.
        const scopes = new Map();
        for (const token of tokens.read)
            scopes.set(digest(token), 'read');
        for (const token of tokens.publish)
            scopes.set(digest(token), 'publish');
        this.scopes = scopes;
    }
    scopeOf(token) {
        return this.scopes.get(digest(token));
    }
}
/** Checks `Authorization: Bearer <token>` against the route's scope (401 / 403). */
export function registerAuth(app, tokens) {
    app.addHook('onRequest', async (request) => {
        const needed = routeScope(request);
        if (needed === 'public')
            return;
        const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
        const held = match ? tokens.scopeOf(match[1]) : undefined;
        if (!held)
            throw new CodesyncError('UNAUTHORIZED', match ? 'unknown token' : 'missing Authorization: Bearer <token> header');
        if (needed === 'publish' && held !== 'publish')
            throw new CodesyncError('FORBIDDEN', 'this token may only read; a publish-scope token is needed');
    });
}
function routeScope(request) {
    const configured = request.routeOptions.config?.scope;
    if (configured)
        return configured;
    // Unknown routes fall through to a plain 404 for anyone holding a token.
    return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'publish';
}
function digest(token) {
    return createHash('sha256').update(token).digest('hex');
}
//# sourceMappingURL=auth.js.map