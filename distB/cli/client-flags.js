import { readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { isAppName } from '../protocol/app-name.js';
import { CodesyncError } from '../protocol/errors.js';
import { usageError } from './fail.js';
export const serverUrlOption = { flags: '--server <url>', doc: 'release server URL, e.g. https://codesync:7400', required: true };
/**
 * `--token-file` of every client (publish, status, agent, pull...): a file holding one bare token.
 * Not the server's scoped list, which is `--token-list`.
 */
export const tokenFileOption = { flags: '--token-file <file>', doc: 'file holding one bare bearer token (the read token for agent and pull)' };
/** `--ca-file` (CODESYNC_CA_FILE). */
export const caFileOption = { flags: '--ca-file <file>', doc: "PEM file of the CA that signed the server's TLS certificate, trusted next to the system's roots", defaultText: 'system roots' };
/** `--server` (required), `--token`, `--token-file` and `--ca-file` of every command that talks to the server. */
export const clientOptions = {
    server: serverUrlOption,
    token: { flags: '--token <token>', doc: 'bearer token (prefer --token-file: argv is visible to other users)' },
    tokenFile: tokenFileOption,
    caFile: caFileOption,
};
/** The API client for these flags; it loads only for commands that talk to the server. */
export async function clientFrom(flags, connections) {
    const { ApiClient } = await import('../protocol/client/api-client.js');
    return new ApiClient({ server: flags.server, token: resolveToken(flags), ca: readCaFile(flags.caFile), connections });
}
/** The token from `--token`, else the file named by `--token-file` (trimmed), else none. */
export function resolveToken(options) {
    if (options.token)
        return options.token;
    if (!options.tokenFile)
        return undefined;
    try {
        const token = readFileSync(options.tokenFile, 'utf8').trim();
        if (!token)
            throw usageError(`--token-file ${options.tokenFile} is empty`);
        return token;
    }
    catch (err) {
        if (err instanceof CodesyncError)
            throw err;
        throw usageError(`cannot read --token-file ${options.tokenFile}: ${err.message}`);
    }
}
/** The PEM text of `--ca-file`; a file without a certificate is a usage error, not a TLS failure later. */
export function readCaFile(file) {
    if (!file)
        return undefined;
    let pem;
    try {
        pem = readFileSync(file, 'utf8');
    }
    catch (err) {
        throw usageError(`cannot read --ca-file ${file}: ${err.message}`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
        throw usageError(`--ca-file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return pem;
}
/** Parses `--app`: a bad name is a usage error (exit 2), not a server round trip. */
export function parseAppName(value) {
    if (!isAppName(value))
        throw usageError(`--app ${JSON.stringify(value)} is not a valid app name: lowercase letters, digits, '.' and '-', at most 63 characters`);
    return value;
}
/** An AbortSignal that fires on Ctrl-C or SIGTERM, so long work stops cleanly. */
export function interruptSignal() {
    const controller = new AbortController();
    // Every request and file read in flight listens on this one signal; dozens at once is normal.
    setMaxListeners(256, controller.signal);
    const stop = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return controller.signal;
}
//# sourceMappingURL=client-flags.js.map