import t from 'tap';
import { isLoopbackHost } from '../../protocol/loopback.js';
t.test('loopback names and addresses', async (t) => {
    for (const host of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
        t.ok(isLoopbackHost(host), host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'codesync', 'codesync.default.svc', '128.0.0.1', 'localhost.example.com'])
        t.notOk(isLoopbackHost(host), host);
});
//# sourceMappingURL=loopback.unit.js.map