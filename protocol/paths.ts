import { posix } from 'node:path';
import { CodesyncError } from './errors.js';
import { LIMITS } from './limits.js';

/**
 * Why a path is refused, or undefined when it is a valid entry path (DESIGN §2): relative POSIX,
 * valid UTF-8, no empty, `.` or `..` segment, no leading `/`, no NUL, at most 4096 bytes.
 */
export function pathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string') return 'is not a string';
  if (path.length === 0) return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (!isWellFormedUtf16(path)) return 'is not valid UTF-8';
  if (Buffer.byteLength(path) > LIMITS.maxPathBytes) return `is longer than ${LIMITS.maxPathBytes} bytes`;
  if (path.startsWith('/')) return 'is absolute';
  for (const segment of path.split('/')) {
    if (segment === '') return 'has an empty segment';
    if (segment === '.' || segment === '..') return `has a '${segment}' segment`;
  }
  return undefined;
}

export function assertEntryPath(path: unknown): asserts path is string {
  const problem = pathProblem(path);
  if (problem) throw new CodesyncError('INVALID_PATH', `path ${JSON.stringify(path)} ${problem}`);
}

/**
 * Why a symlink at `path` pointing at `target` is refused, or undefined: the target must be
 * relative and, resolved from the link's directory, stay inside the tree. Pods mount the tree
 * read-only; a link out of it would expose the node's filesystem.
 */
export function symlinkTargetProblem(path: string, target: unknown): string | undefined {
  if (typeof target !== 'string' || target.length === 0) return 'has an empty target';
  if (target.includes('\0')) return 'has a target with a NUL byte';
  if (!isWellFormedUtf16(target)) return 'has a target that is not valid UTF-8';
  if (Buffer.byteLength(target) > LIMITS.maxPathBytes) return `has a target longer than ${LIMITS.maxPathBytes} bytes`;
  if (target.startsWith('/')) return `has an absolute target ${JSON.stringify(target)}`;
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  if (resolved === '..' || resolved.startsWith('../')) return `has a target ${JSON.stringify(target)} that resolves outside the tree`;
  return undefined;
}

/** Parents of a path, nearest last: `a/b/c` → `a`, `a/b`. */
export function parentsOf(path: string): string[] {
  const parents: string[] = [];
  let index = path.indexOf('/');
  while (index !== -1) {
    parents.push(path.slice(0, index));
    index = path.indexOf('/', index + 1);
  }
  return parents;
}

/** Sort order of the canonical digest: by path as UTF-8 bytes, not as UTF-16 code units. */
export function comparePathBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function isWellFormedUtf16(value: string): boolean {
  // Lone surrogates cannot be encoded as UTF-8; String#isWellFormed arrives in Node 20.
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}
