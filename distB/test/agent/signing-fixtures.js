import { createHash, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
export function makeKey(dir, name) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const privateFile = join(dir, `${name}.key`);
    const publicFile = join(dir, `${name}.pub`);
    writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
    // The key id as docs/security.md defines it, computed here independently of the code under test.
    const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
    return { privateFile, publicFile, keyId, publicKey, privateKey };
}
export function refusal(agent, app, seq, reason) {
    return agent.proc.waitForLog((line) => line.msg === 'sync failed; the last good release stays current' && line.app === app && line.seq === seq && line.reason === reason);
}
//# sourceMappingURL=signing-fixtures.js.map