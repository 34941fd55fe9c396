import { availableParallelism, loadavg } from 'node:os';

/** One line of a bench's table: the figure, codesync's value, the target and its verdict, rsync's value. */
export type Row = [figure: string, value: string, target: string, rsync: string];

export const ms = (value: number): string => `${Math.round(value)} ms`;
export const mib = (value: number): string => `${value} MiB`;
export const ratio = (value: number, base: number): string => `${(value / base).toFixed(2)}×`;
export const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/** The rows under a header, columns aligned, and the load average at the end (what the figures ran beside). */
export function printTable(rows: Row[]): void {
  const all: Row[] = [['figure', 'codesync', 'target', 'rsync, same run'], ...rows, ['load average (1 min) at the end', `${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`, '', '']];
  const widths = [0, 1, 2].map((column) => Math.max(...all.map((row) => row[column]!.length)));
  process.stdout.write('\n');
  for (const row of all) process.stdout.write(`${row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  ')}`.trimEnd() + '\n');
}

/** Progress on stderr, so stdout holds the figures alone. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function print(title: string, figures: Record<string, unknown>): void {
  process.stdout.write(`\n${title}\n`);
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`  ${name.padEnd(48)} ${value}\n`);
}
