import { CodesyncError } from './errors.js';

/** A duration as users write it: a whole number and a unit, `500ms`, `30s`, `5m`, `1h`. */
export const DURATION_PATTERN = '^[0-9]{1,9}(ms|s|m|h)$';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration string; `what` names the field in the error. */
export function parseDuration(value: unknown, what: string): number {
  const match = typeof value === 'string' ? new RegExp(DURATION_PATTERN).exec(value) : null;
  if (!match) throw new CodesyncError('INVALID_REQUEST', `${what} must be a duration such as 30s, 5m or 1h, got ${JSON.stringify(value)}`);
  return Number((value as string).slice(0, -match[1]!.length)) * UNIT_MS[match[1]!]!;
}
