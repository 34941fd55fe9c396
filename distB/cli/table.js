/** Columns padded to their widest cell; the last column is left ragged. */
export function table(header, rows) {
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
    const line = (cells) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
    return [line(header), ...rows.map(line)].join('\n') + '\n';
}
//# sourceMappingURL=table.js.map