import { readFile } from 'node:fs/promises';
import { CodesyncError } from '../../protocol/errors.js';
import { parseSigningKey } from '../../protocol/release-signature.js';
/** `--sign-key FILE` (or the server's `--import-sign-key`): a PKCS#8 PEM Ed25519 private key (docs/security.md). */
export async function readSigningKey(file, flag = '--sign-key') {
    let pem;
    try {
        pem = await readFile(file, 'utf8');
    }
    catch (err) {
        throw new CodesyncError('INVALID_KEY', `cannot read ${flag} ${file}: ${err.message}`, { cause: err });
    }
    return parseSigningKey(pem, `${flag} ${file}`);
}
//# sourceMappingURL=sign-key.js.map