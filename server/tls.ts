import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { CodesyncError } from '../protocol/errors.js';

/** The certificate chain and private key the server serves HTTPS with, PEM. */
export interface TlsFiles {
  cert: string;
  key: string;
}

/** What the logs say about a certificate: enough to tell an old one from a new one, no secret. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  validTo: string;
  fingerprint256: string;
}

/**
 * Reads `--tls-cert` and `--tls-key` and checks that they form a usable pair before anything is
 * served with them: a reload with a bad pair keeps the old one instead of breaking every handshake.
 */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsFiles> {
  let files: TlsFiles;
  try {
    files = { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } catch (err) {
    throw new CodesyncError('USAGE', `cannot read the TLS certificate or key: ${(err as Error).message}`, { cause: err });
  }
  try {
    createSecureContext(files);
  } catch (err) {
    throw new CodesyncError('USAGE', `--tls-cert ${certFile} and --tls-key ${keyFile} are not a PEM certificate and its private key: ${(err as Error).message}`, { cause: err });
  }
  return files;
}

/** Subject, issuer, expiry and fingerprint of the first (leaf) certificate of a PEM chain. */
export function summarizeCertificate(pem: string): CertificateSummary {
  const leaf = new X509Certificate(pem);
  return { subject: leaf.subject.replaceAll('\n', ', '), issuer: leaf.issuer.replaceAll('\n', ', '), validTo: leaf.validTo, fingerprint256: leaf.fingerprint256 };
}
