import type { OptionSpec } from './option-table.js';

/**
 * `--trust-key FILE` of `agent` and `pull`: repeatable, and CODESYNC_TRUST_KEY holds several
 * files comma-separated (a rotation runs with the old and the new key at once).
 */
export const trustKeyOption: OptionSpec = {
  flags: '--trust-key <file>',
  doc: 'Ed25519 public key (SPKI PEM) a release must be signed by; repeatable, the variable takes several comma-separated (key rotation); none: unsigned releases are accepted',
  parse: collectFiles as OptionSpec['parse'],
  default: [],
  defaultText: 'none',
};

function collectFiles(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((file) => file.trim()).filter((file) => file !== '')];
}
