import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { CodesyncError } from '../protocol/errors.js';
/**
 * Reads `--tls-cert` and `--tls-key` and checks that they form a usable pair before anything is
 * served with them: a reload with a bad pair keeps the old one instead of breaking every handshake.
 */
export async function readTlsFiles(certFile, keyFile) {
    let files;
    try {
        files = { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
    }
    catch (err) {
        throw new CodesyncError('USAGE', `cannot read the TLS certificate or key: ${err.message}`, { cause: err });
    }
    try {
        createSecureContext(files);
    }
    catch (err) {
        throw new CodesyncError('USAGE', `--tls-cert ${certFile} and --tls-key ${keyFile} are not a PEM certificate and its private key: ${err.message}`, { cause: err });
    }
    return files;
}
/** Subject, issuer, expiry and fingerprint of the first (leaf) certificate of a PEM chain. */
export function summarizeCertificate(pem) {
    const leaf = new X509Certificate(pem);
    return { subject: leaf.subject.replaceAll('\n', ', '), issuer: leaf.issuer.replaceAll('\n', ', '), validTo: leaf.validTo, fingerprint256: leaf.fingerprint256 };
}
//# sourceMappingURL=tls.js.map