/**
 * Signed releases (docs/security.md): a publisher's Ed25519 key signs the app name and the release
 * digest together, so a signature made for one app's tree cannot be replayed onto another app, and
 * one made for one tree cannot vouch for another. The server only stores and serves signatures;
 * agents started with trusted public keys verify them. node:crypto only, no dependency.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { isAppName } from './app-name.js';
import { CodesyncError } from './errors.js';
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const KEY_ID_RE = /^[0-9a-f]{16}$/;
/** Exactly 64 bytes in base64: 86 data characters, then the `==` padding. */
const SIG_RE = /^[A-Za-z0-9+/]{86}==$/;
/**
 * The signed bytes: the UTF-8 of `codesync release v1\n<app>\n<digest>\n`. Neither an app name
 * (DNS-label-like) nor a digest (`sha256:<hex>`) can hold a newline, so each message has one
 * reading; the leading line names the purpose and version, so these bytes never mean anything
 * else a key might sign.
 */
export function signedMessage(app, digest) {
    if (!isAppName(app))
        throw new CodesyncError('INVALID_APP_NAME', `cannot sign for app ${JSON.stringify(app)}: not a valid app name`);
    if (!DIGEST_RE.test(digest))
        throw new CodesyncError('INVALID_REQUEST', `cannot sign digest ${JSON.stringify(digest)}: want sha256:<64 hex>`);
    return Buffer.from(`codesync release v1\n${app}\n${digest}\n`, 'utf8');
}
/** First 16 hex characters of the sha256 of the public key's SPKI DER: stable across PEM re-encodings. */
export function keyIdOf(publicKey) {
    return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}
/** Reads a PKCS#8 PEM Ed25519 private key (what `openssl genpkey -algorithm ed25519` writes). */
export function parseSigningKey(pem, source = 'the signing key') {
    let privateKey;
    try {
        privateKey = createPrivateKey({ key: pem, format: 'pem' });
    }
    catch (err) {
        throw new CodesyncError('INVALID_KEY', `${source} is not a PEM private key (want PKCS#8 "BEGIN PRIVATE KEY" from openssl genpkey -algorithm ed25519)`, { cause: err });
    }
    assertEd25519(privateKey, source);
    return { keyId: keyIdOf(createPublicKey(privateKey)), privateKey };
}
/**
 * Reads an SPKI PEM Ed25519 public key (`openssl pkey -in key.pem -pubout`). A private key is
 * refused: a node needs only the public half, and a private key on every node defeats signing.
 */
export function parseTrustedKey(pem, source = 'the trusted key') {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
        throw new CodesyncError('INVALID_KEY', `${source} holds a private key: give agents only the public key (openssl pkey -in key.pem -pubout)`);
    }
    let publicKey;
    try {
        publicKey = createPublicKey({ key: pem, format: 'pem' });
    }
    catch (err) {
        throw new CodesyncError('INVALID_KEY', `${source} is not a PEM public key (want SPKI "BEGIN PUBLIC KEY")`, { cause: err });
    }
    assertEd25519(publicKey, source);
    return { keyId: keyIdOf(publicKey), publicKey };
}
function assertEd25519(key, source) {
    if (key.asymmetricKeyType !== 'ed25519') {
        throw new CodesyncError('INVALID_KEY', `${source} is a ${key.asymmetricKeyType ?? 'unknown'} key; codesync signs with ed25519 only`);
    }
}
export function signRelease(key, app, digest) {
    return { keyId: key.keyId, sig: sign(null, signedMessage(app, digest), key.privateKey).toString('base64') };
}
/**
 * The shape check the server applies before storing a signature (it holds no keys, so it cannot
 * check more); `undefined` stays undefined. Extra fields are refused, so what is stored is exactly
 * what an agent verifies.
 */
export function parseReleaseSignature(value) {
    if (value === undefined)
        return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new CodesyncError('INVALID_SIGNATURE', 'signature must be an object {keyId, sig}');
    }
    const { keyId, sig, ...rest } = value;
    const extra = Object.keys(rest);
    if (extra.length > 0)
        throw new CodesyncError('INVALID_SIGNATURE', `signature has unknown field(s) ${extra.join(', ')}: want {keyId, sig}`);
    if (typeof keyId !== 'string' || !KEY_ID_RE.test(keyId))
        throw new CodesyncError('INVALID_SIGNATURE', `signature keyId must be 16 lowercase hex characters, got ${JSON.stringify(keyId)?.slice(0, 40)}`);
    if (typeof sig !== 'string' || !SIG_RE.test(sig))
        throw new CodesyncError('INVALID_SIGNATURE', 'signature sig must be the base64 of 64 bytes (88 characters)');
    return { keyId, sig };
}
/**
 * Throws unless `signature` is a valid signature of (app, digest) by one of `keys`:
 * SIGNATURE_MISSING without one, SIGNATURE_UNTRUSTED when its key is none of `keys` (another
 * publisher's, or one rotated out), SIGNATURE_INVALID when a trusted key's signature does not
 * verify (a tampered tree, or a signature moved from another release or app).
 */
export function verifyRelease(keys, app, digest, signature) {
    if (signature === undefined || signature === null) {
        throw new CodesyncError('SIGNATURE_MISSING', `release ${digest} of ${app} is not signed, and this node trusts only signed releases`);
    }
    let parsed;
    try {
        parsed = parseReleaseSignature(signature);
    }
    catch (err) {
        throw new CodesyncError('SIGNATURE_INVALID', `release ${digest} of ${app} carries a malformed signature: ${err.message}`);
    }
    const key = keys.find((candidate) => candidate.keyId === parsed.keyId);
    if (!key) {
        throw new CodesyncError('SIGNATURE_UNTRUSTED', `release ${digest} of ${app} is signed by key ${parsed.keyId}, which is not among the trusted keys (${keys.map((k) => k.keyId).join(', ')})`);
    }
    if (!verify(null, signedMessage(app, digest), key.publicKey, Buffer.from(parsed.sig, 'base64'))) {
        throw new CodesyncError('SIGNATURE_INVALID', `the signature of key ${parsed.keyId} does not match release ${digest} of ${app}: refused`);
    }
    return key;
}
//# sourceMappingURL=release-signature.js.map