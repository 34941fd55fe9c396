import t from 'tap';
import { readFileSync } from 'node:fs';
import { optionTables } from '../../cli/commands/option-tables.js';
import { optionDocTable } from '../../cli/option-doc.js';
import { envVarOf, longName } from '../../cli/option-table.js';
import { buildProgram } from '../../cli/program.js';
// As test/protocol/errors-doc.test.ts does for error codes: each command's option table is the one
// source, and docs/config.md must show exactly the table it renders. On a failure the expected
// table is printed: paste it into docs/config.md.
const doc = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');
t.test('docs/config.md shows every command\'s option table as declared', async (t) => {
    for (const [name, table] of Object.entries(optionTables)) {
        const expected = optionDocTable(table);
        t.ok(doc.includes(`codesync ${name}`), `docs/config.md has a section for codesync ${name}`);
        t.ok(doc.includes(expected), `codesync ${name}: the table in docs/config.md is the declared one`, { expected });
    }
});
t.test('every option of the program comes from a table, and every table option is on its command', async (t) => {
    const program = await buildProgram(['node', 'codesync']);
    const commandAt = (path) => path.split(' ').reduce((at, name) => at.commands.find((c) => c.name() === name), program);
    for (const [name, table] of Object.entries(optionTables)) {
        const command = commandAt(name);
        t.ok(command, `codesync ${name} exists`);
        const flags = (options) => options.map((option) => option.long).sort();
        t.same(flags(command.options), Object.values(table).map((spec) => `--${longName(spec)}`).sort(), `codesync ${name}: its options are its table's`);
        for (const spec of Object.values(table)) {
            const option = command.options.find((o) => o.long === `--${longName(spec)}` && o.negate === longName(spec).startsWith('no-'));
            t.equal(option.envVar, envVarOf(spec), `codesync ${name} --${longName(spec)} reads ${envVarOf(spec) ?? 'no variable'}`);
            t.equal(option.mandatory, spec.required === true, `codesync ${name} --${longName(spec)} required: ${spec.required === true}`);
            if (spec.required)
                t.match(option.description, /\(required\)$/, 'help marks it (required)');
        }
    }
});
t.test('duration flags say what a bare number means; no two commands give one variable two units', async (t) => {
    const units = new Map();
    for (const [name, table] of Object.entries(optionTables)) {
        for (const spec of Object.values(table)) {
            if (spec.flags.includes('<duration>'))
                t.ok(spec.bareUnit, `codesync ${name} ${spec.flags} declares its bare-number unit`);
            const env = envVarOf(spec);
            if (!env || !spec.bareUnit)
                continue;
            const seen = units.get(env);
            if (seen)
                t.equal(spec.bareUnit, seen, `${env}: a bare number means ${seen} in every command`);
            units.set(env, spec.bareUnit);
        }
    }
});
//# sourceMappingURL=option-docs.unit.js.map