import t from 'tap';
import { parseSignal } from '../../../cli/reload-hook/reload-action.js';
t.test('parseSignal: with or without SIG, any case', async (t) => {
    t.equal(parseSignal('USR2'), 'SIGUSR2');
    t.equal(parseSignal('SIGUSR2'), 'SIGUSR2');
    t.equal(parseSignal('hup'), 'SIGHUP');
    t.equal(parseSignal('sigterm'), 'SIGTERM');
    for (const bad of ['', 'SIG', 'USR3', 'reload', '1'])
        t.throws(() => parseSignal(bad), { code: 'USAGE', message: /--signal: unknown signal/ }, JSON.stringify(bad));
});
//# sourceMappingURL=reload-action.unit.js.map