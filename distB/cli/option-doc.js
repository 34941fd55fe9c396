import { defaultTextOf, envVarOf, UNIT_NOTE } from './option-table.js';
/**
 * The markdown table docs/config.md shows for a command's options, one row per visible option:
 * flag, variable, default, the doc line. test/cli/option-docs.unit.ts checks the docs hold
 * exactly these rows, so a flag, default or doc line changed in the table shows up there.
 */
export function optionDocTable(table) {
    const rows = Object.values(table)
        .filter((spec) => !spec.hidden)
        .map((spec) => `| ${cell(`\`${spec.flags}\``)} | ${envCell(spec)} | ${cell(defaultCell(spec))} | ${cell(docCell(spec))} |`);
    return ['| flag | env | default | what |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
function envCell(spec) {
    const env = envVarOf(spec);
    return env ? `\`${env}\`` : '';
}
function defaultCell(spec) {
    if (spec.required)
        return 'required';
    const text = defaultTextOf(spec);
    if (text === undefined)
        return spec.flags.includes('<') ? 'none' : 'off';
    // A value in code, prose ("the latest") as it is.
    return /\s/.test(text) ? text : `\`${text}\``;
}
function docCell(spec) {
    return spec.bareUnit ? `${spec.doc}${UNIT_NOTE(spec.bareUnit)}` : spec.doc;
}
/** A `|` inside a cell would end it, code span or not. */
function cell(text) {
    return text.replaceAll('|', '\\|');
}
//# sourceMappingURL=option-doc.js.map