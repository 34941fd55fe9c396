/**
 * `--name N` among a bench's arguments (`npm run bench -- NAME --files 1000`), or `fallback` when
 * it is absent; a value that is not a number >= 0 stops the bench instead of measuring nonsense.
 */
export function numberFlag(args: readonly string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (args[at + 1] === undefined || !Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number >= 0, not ${JSON.stringify(args[at + 1] ?? '')}`);
  return value;
}

/** `--name VALUE` among a bench's arguments, or undefined when it is absent. */
export function stringFlag(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? undefined : args[at + 1];
}
