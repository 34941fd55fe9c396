import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
const run = promisify(execFile);
/** Whether the machine has `openssl` (node:crypto cannot make X.509 certificates). */
export async function hasOpenssl() {
    try {
        await run('openssl', ['version']);
        return true;
    }
    catch {
        return false;
    }
}
/** A private CA made with the machine's openssl in `dir`: P-256 keys, valid two days. */
export async function createTestCa(dir) {
    const caKey = join(dir, 'ca.key');
    const caFile = join(dir, 'ca.pem');
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', '/CN=codesync test CA']);
    const extensions = join(dir, 'server.ext');
    await writeFile(extensions, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
    return {
        caFile,
        async issue(name) {
            const key = join(dir, `${name}.key`);
            const csr = join(dir, `${name}.csr`);
            const cert = join(dir, `${name}.pem`);
            await run('openssl', ['req', '-new', ...ec, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
            await run('openssl', ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', extensions]);
            return { cert, key };
        },
    };
}
//# sourceMappingURL=certificates.js.map