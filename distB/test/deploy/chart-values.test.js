import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CLI } from '../helpers/codesync-process.js';
import { CHART, ROOT } from './helm.js';
import { exampleManifests, podContainers, renderChart } from './rendered-chart.js';
import { optionTables } from '../../cli/commands/option-tables.js';
import { longName } from '../../cli/option-table.js';
// The chart's values and the flags they become: every flag the templates, the example and the
// docs pass exists; values.yaml documents every value, the README lists them, and a value that
// sets a flag defaults to the flag's default.
const run = promisify(execFile);
const { rendered } = renderChart(t);
t.test('every flag the templates, the example and the docs pass is a flag of that command', async (t) => {
    // `codesync <command> --help` of every command involved, in parallel, without the loader hooks
    // the test runner adds to NODE_OPTIONS of its children (they make each start take seconds).
    const helpText = new Map();
    const loadHelp = (commands) => Promise.all([...new Set(commands)].filter((command) => !helpText.has(command)).map(async (command) => {
        helpText.set(command, (await run('env', ['-u', 'NODE_OPTIONS', process.execPath, CLI, ...command.split(' '), '--help'])).stdout);
    }));
    const help = (command) => helpText.get(command);
    const containers = [...rendered.values()].flat().concat(exampleManifests()).flatMap(podContainers).filter((c) => /codesync/.test(c.image));
    // The commands NOTES.txt, docs/install.md and the example's README tell an operator to run.
    const docs = ['charts/codesync/templates/NOTES.txt', 'docs/install.md', 'charts/codesync/examples/php-nginx/README.md'];
    const lines = docs.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').match(/^\s*codesync [^\n]+/gm) ?? []);
    const documented = lines.map((line) => line.trim().replace(/\s+#.*$/, '').split(/\s+/).slice(1));
    await loadHelp([...containers.map((c) => c.args[0]), ...documented.map((words) => words[0])]);
    // A command group (`apps create`): its subcommands are listed under "Commands:" in its help.
    const commandOf = (words) => words[1] && new RegExp(`^\\s+${words[1]}\\b`, 'm').test(help(words[0]).split('Commands:')[1] ?? '') ? `${words[0]} ${words[1]}` : words[0];
    await loadHelp(documented.map(commandOf));
    let checked = 0;
    for (const container of containers) {
        const [command, ...rest] = container.args;
        const known = new Set(help(command).match(/--[a-z][a-z-]*/g));
        for (const arg of rest) {
            if (arg === '--')
                break; // what follows is the reload command's own argv
            if (!arg.startsWith('--'))
                continue;
            checked += 1;
            t.ok(known.has(arg.split('=')[0]), `codesync ${command} ${arg.split('=')[0]} exists`);
        }
    }
    t.ok(checked >= 20, `${checked} flags checked`);
    t.ok(lines.length >= 6, `${lines.length} documented codesync command lines`);
    for (const words of documented) {
        const command = commandOf(words);
        const known = new Set(help(command).match(/--[a-z][a-z-]*/g));
        for (const word of words.filter((w) => w.startsWith('--')))
            t.ok(known.has(word.split('=')[0]), `documented: codesync ${command} ${word.split('=')[0]}`);
    }
});
t.test('values.yaml documents every value, and the chart README lists exactly those', async (t) => {
    const { documented, undocumented } = valuesDoc();
    t.same(undocumented, [], 'every value has a `# --` comment, itself or on a parent');
    const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-zA-Z0-9_.]+)` \|/gm)].map((match) => match[1]);
    t.same([...rows].sort(), [...documented].sort(), 'README values table rows = documented values');
});
t.test('values that set a flag agree with its option table: the flag exists, the default means the flag\'s default', async (t) => {
    const { texts, defaults } = valuesDoc();
    let checked = 0;
    for (const [path, text] of texts) {
        const lead = /^`(--[a-z-]+(?:`\/`--[a-z-]+)*)[^`]*`/.exec(text);
        if (!lead)
            continue;
        const command = path.split('.')[0];
        const table = optionTables[command];
        t.ok(table, `${path}: ${command} has an option table`);
        const flagNames = lead[1].split('`/`');
        for (const flag of flagNames) {
            const spec = Object.values(table).find((candidate) => `--${longName(candidate)}` === flag);
            t.ok(spec, `${path}: ${flag} is a flag of codesync ${command}`);
            checked += 1;
            const value = defaults.get(path);
            // Only `--flag` alone maps the value to the flag (`--listen 0.0.0.0:<port>` builds it); "" keeps the flag's own default.
            if (!spec || flagNames.length > 1 || lead[0] !== `\`${flag}\`` || value === '' || value === undefined || typeof value === 'object')
                continue;
            if (typeof value === 'boolean')
                t.equal(value, spec.default ?? false, `${path}: ${value} is ${flag}'s default`);
            else if (spec.default !== undefined && spec.parse)
                t.same(spec.parse(String(value), undefined), spec.default, `${path}: ${JSON.stringify(value)} means ${flag}'s default (${spec.defaultText ?? JSON.stringify(spec.default)})`);
        }
    }
    t.ok(checked >= 15, `${checked} value flags checked`);
    const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| `([a-zA-Z0-9_.]+)` \| [^|]* \| (.*) \|$/gm)].map((match) => [match[1], match[2]]));
    for (const [path, text] of texts)
        t.equal(rows.get(path), text, `${path}: the README row says what values.yaml says`);
});
/**
 * Value paths with a `# --` doc comment in values.yaml (the helm-docs convention), and leaf
 * values covered neither by their own nor by a parent's. Read line by line: the chart's
 * values.yaml uses block maps, flow collections and block lists only.
 */
function valuesDoc() {
    const keys = [];
    const stack = [];
    const texts = new Map();
    let pendingDoc = false;
    let docText = [];
    for (const line of readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n')) {
        if (/^\s*#/.test(line)) {
            const start = /^\s*# -- (.*)$/.exec(line);
            if (start) {
                pendingDoc = true;
                docText = [start[1]];
            }
            else if (pendingDoc)
                docText.push(line.replace(/^\s*#\s?/, ''));
            continue;
        }
        const match = /^(\s*)([A-Za-z0-9_]+):/.exec(line);
        if (!match) {
            pendingDoc = false;
            continue;
        }
        const indent = match[1].length;
        while (stack.length > 0 && stack.at(-1).indent >= indent)
            stack.pop();
        const path = [...stack.map((entry) => entry.key), match[2]].join('.');
        keys.push({ path, doc: pendingDoc, covered: stack.some((entry) => entry.doc) });
        if (pendingDoc)
            texts.set(path, docText.join(' ').trim());
        stack.push({ indent, key: match[2], doc: pendingDoc });
        pendingDoc = false;
    }
    const values = parseYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
    const defaults = new Map([...texts.keys()].map((path) => [path, path.split('.').reduce((at, key) => at?.[key], values)]));
    const isLeaf = (path) => !keys.some((other) => other.path.startsWith(`${path}.`));
    return {
        documented: keys.filter((key) => key.doc).map((key) => key.path),
        undocumented: keys.filter((key) => !key.doc && !key.covered && isLeaf(key.path)).map((key) => key.path),
        texts,
        defaults,
    };
}
//# sourceMappingURL=chart-values.test.js.map