import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CodesyncError } from '../protocol/errors.js';

export type TokenScope = 'publish' | 'read';

/**
 * Who may call a route, set per route as `config: { scope }`: `public` needs no token, `read`
 * takes a read- or publish-scope token, `publish` only a publish-scope token. Routes without
 * it: GET and HEAD are `read`, every other method `publish`.
 */
export type RouteScope = 'public' | TokenScope;

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: RouteScope;
  }
}

/** Bearer tokens by scope. Publish tokens also read. */
export interface ServerTokens {
  publish: string[];
  read: string[];
}

/**
 * Parses a token file: one `publish:<token>` or `read:<token>` a line; blank lines and lines
 * starting with `#` are ignored.
 */
export function parseTokenFile(text: string): ServerTokens {
  const tokens: ServerTokens = { publish: [], read: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(publish|read):(\S+)$/.exec(line);
    // The line itself is never echoed: it holds a secret.
    if (!match) throw new CodesyncError('USAGE', `token file line ${index + 1}: want publish:<token> or read:<token>`);
    tokens[match[1] as TokenScope].push(match[2]!);
  });
  return tokens;
}

export function hasTokens(tokens: ServerTokens | undefined): tokens is ServerTokens {
  return tokens !== undefined && tokens.publish.length + tokens.read.length > 0;
}

/**
 * The tokens the server accepts now. `replace` swaps the whole set at once (token rotation
 * without a restart): a request sees the old set or the new one, never a mix.
 */
export class TokenSet {
  private scopes = new Map<string, TokenScope>();

  constructor(tokens: ServerTokens) {
    this.replace(tokens);
  }

  /** Refuses an empty set: rotating to no tokens would silently turn auth off. */
  replace(tokens: ServerTokens): void {
    if (!hasTokens(tokens)) throw new CodesyncError('USAGE', 'the new token file holds no token; the server keeps the tokens it has');
    // Tokens are compared by their sha256, so the lookup time does not depend on the secret's bytes.
    const scopes = new Map<string, TokenScope>();
    for (const token of tokens.read) scopes.set(digest(token), 'read');
    for (const token of tokens.publish) scopes.set(digest(token), 'publish');
    this.scopes = scopes;
  }

  scopeOf(token: string): TokenScope | undefined {
    return this.scopes.get(digest(token));
  }
}

/** Checks `Authorization: Bearer <token>` against the route's scope (401 / 403). */
export function registerAuth(app: FastifyInstance, tokens: TokenSet): void {
  app.addHook('onRequest', async (request) => {
    const needed = routeScope(request);
    if (needed === 'public') return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const held = match ? tokens.scopeOf(match[1]!) : undefined;
    if (!held) throw new CodesyncError('UNAUTHORIZED', match ? 'unknown token' : 'missing Authorization: Bearer <token> header');
    if (needed === 'publish' && held !== 'publish') throw new CodesyncError('FORBIDDEN', 'this token may only read; a publish-scope token is needed');
  });
}

function routeScope(request: FastifyRequest): RouteScope {
  const configured = request.routeOptions.config?.scope;
  if (configured) return configured;
  // Unknown routes fall through to a plain 404 for anyone holding a token.
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'publish';
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
