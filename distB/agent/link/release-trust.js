import { readFile } from 'node:fs/promises';
import { CodesyncError } from '../../protocol/errors.js';
import { parseTrustedKey, verifyRelease } from '../../protocol/release-signature.js';
/**
 * The keys whose releases this node installs (`--trust-key`, docs/security.md). Checked on the
 * target manifest once its digest is known good and before any blob is fetched or file touched,
 * so a refused release costs one manifest request and `current` keeps serving the last good one.
 * Several keys at once are how a key is rotated: the old and the new until every release in use
 * is signed by the new one.
 */
export class ReleaseTrust {
    keys;
    constructor(keys) {
        this.keys = keys;
        if (keys.length === 0)
            throw new Error('ReleaseTrust needs at least one key; without keys pass no trust at all');
    }
    /** Reads SPKI PEM public keys; undefined when there are none (every release accepted: development). */
    static async fromFiles(files) {
        if (files.length === 0)
            return undefined;
        const keys = await Promise.all(files.map(async (file) => parseTrustedKey(await readKeyFile(file), `--trust-key ${file}`)));
        return new ReleaseTrust(keys);
    }
    get keyIds() {
        return this.keys.map((key) => key.keyId);
    }
    /** Throws SIGNATURE_MISSING, SIGNATURE_UNTRUSTED or SIGNATURE_INVALID unless a trusted key signed (app, digest). */
    check(app, digest, signature) {
        verifyRelease(this.keys, app, digest, signature);
    }
}
async function readKeyFile(file) {
    try {
        return await readFile(file, 'utf8');
    }
    catch (err) {
        throw new CodesyncError('INVALID_KEY', `cannot read --trust-key ${file}: ${err.message}`, { cause: err });
    }
}
//# sourceMappingURL=release-trust.js.map