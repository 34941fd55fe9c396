import type { Option } from 'commander';
import { envOption } from './options.js';

/**
 * `--trust-key FILE` of `agent` and `pull`: repeatable, and CODESYNC_TRUST_KEY holds several
 * files comma-separated (a rotation runs with the old and the new key at once).
 */
export function trustKeyOption(): Option {
  return envOption('--trust-key <file>', 'Ed25519 public key (SPKI PEM) a release must be signed by; repeatable (key rotation); none: unsigned releases are accepted')
    .argParser(collectFiles)
    .default([], 'none');
}

function collectFiles(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((file) => file.trim()).filter((file) => file !== '')];
}
