/**
 * `--trust-key FILE` of `agent` and `pull`: repeatable, and CODESYNC_TRUST_KEY holds several
 * files comma-separated (a rotation runs with the old and the new key at once).
 */
export const trustKeyOption = {
    flags: '--trust-key <file>',
    doc: 'Ed25519 public key (SPKI PEM) a release must be signed by; repeatable, the variable takes several comma-separated (key rotation); none: unsigned releases are accepted',
    parse: collectFiles,
    default: [],
    defaultText: 'none',
};
function collectFiles(value, previous = []) {
    return [...previous, ...value.split(',').map((file) => file.trim()).filter((file) => file !== '')];
}
//# sourceMappingURL=trust-key-option.js.map