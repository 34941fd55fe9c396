import t from 'tap';
import { Command } from 'commander';
import { addOptions, defaultTextOf, envVarOf, helpLine, longName, toOption } from '../../cli/option-table.js';
import { durationFlag } from '../../protocol/duration.js';
const timeout = { flags: '--timeout <duration>', doc: 'give up after this long', default: 300_000, defaultText: '5m', bareUnit: 's', parse: durationFlag('timeout', 's') };
t.test('names: the long flag, and CODESYNC_<FLAG> unless the spec says otherwise', async (t) => {
    t.equal(longName(timeout), 'timeout');
    t.equal(envVarOf({ flags: '--max-concurrent-pulls <n>', doc: 'd' }), 'CODESYNC_MAX_CONCURRENT_PULLS');
    t.equal(envVarOf({ flags: '--meta <k=v>', doc: 'd', env: false }), undefined, 'env: false reads no variable');
    t.equal(envVarOf({ flags: '--no-socket', doc: 'd' }), undefined, 'a negation reads no variable');
    t.equal(envVarOf({ flags: '--token-list <file>', doc: 'd', env: 'CODESYNC_OTHER' }), 'CODESYNC_OTHER');
});
t.test('help and docs say the default and what a bare number means', async (t) => {
    t.equal(defaultTextOf(timeout), '5m', 'the written form, not 300000');
    t.equal(defaultTextOf({ flags: '--keep-releases <n>', doc: 'd', default: 3 }), '3');
    t.equal(defaultTextOf({ flags: '--watch', doc: 'd', default: false }), undefined, 'an off switch has no default to show');
    t.equal(helpLine(timeout), 'give up after this long (a bare number is seconds)');
    t.equal(helpLine({ flags: '--seq <n>', doc: 'release to pull', defaultText: 'the latest' }), 'release to pull (default: the latest)', 'a default without a value is said in the line');
});
t.test('the commander option parses, defaults, reads its variable and marks required', async (t) => {
    const parse = (argv, env = {}) => {
        const saved = { ...process.env };
        Object.assign(process.env, env);
        try {
            const command = addOptions(new Command('x').exitOverride(), { timeout, app: { flags: '--app <name>', doc: 'app', required: true } });
            command.parse(['node', 'x', ...argv]);
            return command.opts();
        }
        finally {
            process.env = saved;
        }
    };
    t.same(parse(['--app', 'a']), { app: 'a', timeout: 300_000 });
    t.same(parse(['--app', 'a', '--timeout', '90']), { app: 'a', timeout: 90_000 }, 'a bare number in the flag\'s unit');
    t.same(parse([], { CODESYNC_APP: 'b', CODESYNC_TIMEOUT: '1m' }), { app: 'b', timeout: 60_000 }, 'both from the environment');
    t.throws(() => parse([]), { code: 'commander.missingMandatoryOptionValue' });
    t.throws(() => parse(['--app', 'a', '--timeout', 'soon']), { code: 'USAGE' });
    t.ok(toOption({ flags: '--token-file <file>', doc: 'old name', hidden: true }).hidden, 'a deprecated spelling stays out of --help');
});
//# sourceMappingURL=option-table.unit.js.map