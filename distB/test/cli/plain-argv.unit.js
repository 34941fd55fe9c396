import t from 'tap';
import { Command } from 'commander';
import { addOptions } from '../../cli/option-table.js';
import { parsePlainArgv } from '../../cli/plain-argv.js';
import { reloadHookOptions } from '../../cli/reload-hook/reload-hook-options.js';
import { publishOptions } from '../../cli/publish/publish-options.js';
/** What commander makes of the same line with the same table: the reference the plain reader must match. */
function commanderReads(args, env) {
    const saved = process.env;
    process.env = env;
    try {
        let result;
        const command = addOptions(new Command('reload-hook').argument('[cmd...]').exitOverride().configureOutput({ writeErr: () => { } }), reloadHookOptions);
        command.action((operands, flags) => {
            result = { operands, flags: { ...flags } };
        });
        command.parse(['node', 'reload-hook', ...args]);
        return result;
    }
    finally {
        process.env = saved;
    }
}
t.test('plain lines read exactly as commander reads them', async (t) => {
    const lines = [
        [['--app=shop', '--signal=USR2', '--pid-file=/run/php/php-fpm.pid'], {}],
        [['--app', 'shop', '--socket', '/tmp/a.sock', '--debounce', '300ms', '--', 'sh', '-c', 'echo --app'], {}],
        [['--app', 'shop', '--debounce', '0', '--reload-on-start', '--', 'true'], {}],
        [['--app', 'a', '--app', 'shop', '--', 'nginx', '-s', 'reload'], {}],
        [['--app=shop', '--', 'true'], { CODESYNC_POD: 'web-1', CODESYNC_DEBOUNCE: '2s', CODESYNC_RELOAD_ON_START: '' }],
        [['--', 'true'], { CODESYNC_APP: 'shop', CODESYNC_SOCKET: '/s.sock' }],
        [['--app=shop', '--pod=web-2', '--', 'true'], { CODESYNC_POD: 'web-1' }],
        [['--app=shop'], {}],
    ];
    for (const [args, env] of lines) {
        const plain = parsePlainArgv(reloadHookOptions, args, env);
        t.ok(plain, `${args.join(' ')}: read without commander`);
        t.same(plain, commanderReads(args, env), `${args.join(' ')}: as commander reads it`);
    }
});
t.test('anything else is left to commander, which answers it', async (t) => {
    const lines = [
        ['--help'],
        ['-h'],
        ['--app', 'shop', '--bogus', '--', 'true'],
        ['--app', 'shop', 'true'],
        ['--app'],
        ['--app', '--socket', 'x'],
        ['--reload-on-start=yes', '--app', 'shop'],
        ['--socket', '/s.sock', '--', 'true'],
        ['--app', 'NOT VALID', '--', 'true'],
        ['--app', 'shop', '--debounce', 'soon', '--', 'true'],
    ];
    for (const args of lines)
        t.equal(parsePlainArgv(reloadHookOptions, args, {}), undefined, args.join(' '));
    t.equal(parsePlainArgv(reloadHookOptions, ['--', 'true'], { CODESYNC_APP: 'shop', CODESYNC_DEBOUNCE: 'soon' }), undefined, 'a bad variable too');
});
/** What commander makes of a publish line (one operand among the options). */
function commanderReadsPublish(args, env) {
    const saved = process.env;
    process.env = env;
    try {
        let result;
        const command = addOptions(new Command('publish').argument('<source>').exitOverride().configureOutput({ writeErr: () => { } }), publishOptions);
        command.action((source, flags) => {
            result = { operands: [source], flags: { ...flags } };
        });
        command.parse(['node', 'publish', ...args]);
        return result;
    }
    finally {
        process.env = saved;
    }
}
t.test('plain publish lines, the operand among the options, read exactly as commander reads them', async (t) => {
    const lines = [
        [['app/', '--server', 'http://s:7400', '--app', 'shop'], {}],
        [['--server=http://s:7400', 'app/', '--app=shop', '--json', '--progress', 'none'], {}],
        [['app/', '--app', 'shop', '--meta', 'commit=abc', '--meta', 'branch=main', '--exclude', '*.log', '--exclude', 'tmp/'], { CODESYNC_SERVER: 'http://s:7400' }],
        [['app/', '--app', 'shop', '--create', '--selector', '', '--wait', '--timeout', '90'], { CODESYNC_SERVER: 'http://s:7400', CODESYNC_RETRY_TIMEOUT: '5' }],
        [['--app', 'shop', '--', '--odd-dir'], { CODESYNC_SERVER: 'http://s:7400' }],
    ];
    for (const [args, env] of lines) {
        const plain = parsePlainArgv(publishOptions, args, env, { operands: 1 });
        t.ok(plain, `${args.join(' ')}: read without commander`);
        t.same(plain, commanderReadsPublish(args, env), `${args.join(' ')}: as commander reads it`);
    }
});
t.test('a publish line with no operand, two, or anything else is left to commander', async (t) => {
    const env = { CODESYNC_SERVER: 'http://s:7400' };
    const lines = [['--app', 'shop'], ['a/', 'b/', '--app', 'shop'], ['a/', '--app', 'shop', '-V'], ['a/', '--app', 'shop', '--meta', 'novalue'], ['a/', '--app', 'shop', '--progress', 'loud'], ['a/', '--help']];
    for (const args of lines)
        t.equal(parsePlainArgv(publishOptions, args, env, { operands: 1 }), undefined, args.join(' '));
});
//# sourceMappingURL=plain-argv.unit.js.map