import { isIP } from 'node:net';
/**
 * True when `host` (a URL host name or a listen address) never leaves this machine: `localhost`,
 * 127.0.0.0/8 or ::1. Plain http is only worth a warning off loopback (docs/security.md).
 */
export function isLoopbackHost(host) {
    const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (bare === 'localhost' || bare.endsWith('.localhost'))
        return true;
    if (isIP(bare) === 4)
        return bare.startsWith('127.');
    if (isIP(bare) === 6)
        return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
    return false;
}
//# sourceMappingURL=loopback.js.map