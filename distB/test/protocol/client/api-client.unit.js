import t from 'tap';
import { ApiClient, parseServerUrl } from '../../../protocol/client/api-client.js';
t.test('--server must be an http or https URL', async (t) => {
    t.equal(parseServerUrl('https://codesync:7400/').origin, 'https://codesync:7400');
    t.throws(() => parseServerUrl('codesync:7400'), { code: 'USAGE' });
    t.throws(() => parseServerUrl('ftp://codesync'), { code: 'USAGE', message: /http:\/\/ or https:\/\// });
    t.throws(() => parseServerUrl('not a url'), { code: 'USAGE' });
});
t.test('plain http is flagged only off loopback', async (t) => {
    const flagged = async (server) => {
        const client = new ApiClient({ server });
        const value = client.plainHttpOffLoopback;
        await client.close();
        return value;
    };
    t.equal(await flagged('http://codesync.default.svc:7400'), true);
    t.equal(await flagged('http://10.0.0.7:7400'), true);
    t.equal(await flagged('http://127.0.0.1:7400'), false);
    t.equal(await flagged('http://localhost:7400'), false);
    t.equal(await flagged('http://[::1]:7400'), false);
    t.equal(await flagged('https://codesync.default.svc:7400'), false);
});
//# sourceMappingURL=api-client.unit.js.map