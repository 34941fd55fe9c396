import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { isCodesyncError } from '../../protocol/errors.js';
import { keyIdOf, parseReleaseSignature, parseSigningKey, parseTrustedKey, signedMessage, signRelease, verifyRelease } from '../../protocol/release-signature.js';
const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;
function keyPair() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    return {
        privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        publicPem: publicKey.export({ type: 'spki', format: 'pem' }),
        publicKey,
    };
}
function codeOf(fn) {
    try {
        fn();
        return undefined;
    }
    catch (err) {
        return isCodesyncError(err) ? err.code : `not a CodesyncError: ${String(err)}`;
    }
}
t.test('the signed message frames app and digest in one reading', async (t) => {
    t.equal(signedMessage('web', DIGEST_A).toString('utf8'), `codesync release v1\nweb\n${DIGEST_A}\n`);
    t.equal(codeOf(() => signedMessage('web\nx', DIGEST_A)), 'INVALID_APP_NAME', 'an app name cannot smuggle a line');
    t.equal(codeOf(() => signedMessage('web', 'sha256:abc')), 'INVALID_REQUEST', 'only a full sha256 digest is signed');
});
t.test('a key signs; the same public key, and only it, verifies that app and digest', async (t) => {
    const a = keyPair();
    const b = keyPair();
    const signer = parseSigningKey(a.privatePem);
    const trustedA = parseTrustedKey(a.publicPem);
    const trustedB = parseTrustedKey(b.publicPem);
    t.equal(signer.keyId, trustedA.keyId, 'private and public halves share a key id');
    t.equal(signer.keyId, keyIdOf(a.publicKey));
    t.match(signer.keyId, /^[0-9a-f]{16}$/);
    t.not(trustedA.keyId, trustedB.keyId);
    const signature = signRelease(signer, 'web', DIGEST_A);
    t.same(parseReleaseSignature(signature), signature, 'what is signed passes the server shape check');
    t.equal(verifyRelease([trustedA], 'web', DIGEST_A, signature).keyId, trustedA.keyId);
    t.equal(verifyRelease([trustedB, trustedA], 'web', DIGEST_A, signature).keyId, trustedA.keyId, 'found among several keys (rotation)');
    t.equal(codeOf(() => verifyRelease([trustedA], 'web', DIGEST_B, signature)), 'SIGNATURE_INVALID', 'another digest');
    t.equal(codeOf(() => verifyRelease([trustedA], 'api', DIGEST_A, signature)), 'SIGNATURE_INVALID', 'another app, same tree');
    t.equal(codeOf(() => verifyRelease([trustedB], 'web', DIGEST_A, signature)), 'SIGNATURE_UNTRUSTED', 'a key not trusted');
    t.equal(codeOf(() => verifyRelease([trustedA], 'web', DIGEST_A, undefined)), 'SIGNATURE_MISSING');
    t.equal(codeOf(() => verifyRelease([trustedA], 'web', DIGEST_A, null)), 'SIGNATURE_MISSING');
    const forged = { keyId: trustedA.keyId, sig: signRelease(parseSigningKey(b.privatePem), 'web', DIGEST_A).sig };
    t.equal(codeOf(() => verifyRelease([trustedA], 'web', DIGEST_A, forged)), 'SIGNATURE_INVALID', 'a trusted key id over another key\'s signature');
    t.equal(codeOf(() => verifyRelease([trustedA], 'web', DIGEST_A, { keyId: trustedA.keyId, sig: 'x' })), 'SIGNATURE_INVALID', 'malformed');
});
t.test('the server shape check refuses anything but {keyId, sig}', async (t) => {
    const sig = Buffer.alloc(64, 7).toString('base64');
    t.equal(parseReleaseSignature(undefined), undefined);
    for (const bad of [null, 'abc', [], { keyId: '0123456789abcdef' }, { keyId: '0123456789ABCDEF', sig }, { keyId: '0123456789abcdef', sig: Buffer.alloc(63).toString('base64') }, { keyId: '0123456789abcdef', sig, extra: 1 }]) {
        t.equal(codeOf(() => parseReleaseSignature(bad)), 'INVALID_SIGNATURE', JSON.stringify(bad));
    }
    t.same(parseReleaseSignature({ keyId: '0123456789abcdef', sig }), { keyId: '0123456789abcdef', sig });
});
t.test('keys: PEM Ed25519 only, and never a private key to trust', async (t) => {
    const a = keyPair();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    t.equal(codeOf(() => parseTrustedKey(a.privatePem)), 'INVALID_KEY', 'a private key given to trust');
    t.equal(codeOf(() => parseSigningKey(a.publicPem)), 'INVALID_KEY', 'a public key given to sign');
    t.equal(codeOf(() => parseSigningKey('ssh-ed25519 AAAA... user@host')), 'INVALID_KEY', 'OpenSSH format');
    t.equal(codeOf(() => parseTrustedKey(rsa.publicKey.export({ type: 'spki', format: 'pem' }))), 'INVALID_KEY', 'an RSA key');
    t.equal(codeOf(() => parseSigningKey(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }))), 'INVALID_KEY', 'an RSA key');
});
//# sourceMappingURL=release-signature.unit.js.map