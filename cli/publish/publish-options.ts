import { durationFlag } from '../../protocol/duration.js';
import { clientOptions, parseAppName, type ClientFlags } from '../client-flags.js';
import type { OptionSpec, OptionTable } from '../option-spec.js';
import { collectKeyValue, parseInteger, parseSelectorFlag } from '../options.js';
import { progressOptions, type ProgressMode } from '../progress.js';
import { RETRY_TIMEOUT_DEFAULT_MS } from '../retry.js';
import { rolloutOptions, type RolloutFlags } from '../rollout/rollout-flags.js';

/**
 * `codesync publish`'s options. Commander-free, so a plain publish line starts without commander
 * (cli/publish/fast-start.ts); cli/commands/publish.ts registers them for everything else.
 */
export const publishOptions = {
  ...clientOptions,
  app: { flags: '--app <name>', doc: 'app to publish to', required: true, parse: parseAppName },
  meta: { flags: '--meta <key=value>', doc: 'release metadata such as commit=abc123 (repeatable)', env: false, parse: collectKeyValue as OptionSpec['parse'], default: {}, defaultText: 'none' },
  create: { flags: '--create', doc: 'create the app if it does not exist (needs --selector); without it an unknown app fails with APP_NOT_FOUND' },
  selector: { flags: '--selector <selector>', doc: "with --create: label selector of the nodes that hold a new app; '' selects every node", parse: parseSelectorFlag },
  exclude: { flags: '--exclude <pattern>', doc: 'leave out paths matching this gitignore pattern (repeatable), besides those DIR/.codesyncignore lists', env: false, parse: ((value: string, previous: string[]) => [...previous, value]) as OptionSpec['parse'], default: [], defaultText: 'none' },
  changedFrom: {
    flags: '--changed-from <file>',
    doc: "file listing the paths changed since the last publish from here, one per line or NUL-separated ('-' reads stdin): only they are read, not the whole tree",
    env: false,
    defaultText: 'none: the whole tree is walked',
  },
  watch: { flags: '--watch', doc: 'after publishing, publish again whenever changes settle (Ctrl-C stops)' },
  debounce: { flags: '--debounce <duration>', doc: 'with --watch: quiet time after the last change before publishing', default: 300, defaultText: '300ms', bareUnit: 'ms', parse: durationFlag('debounce', 'ms') },
  cache: { flags: '--cache <file>', doc: 'hash cache file', defaultText: '$XDG_CACHE_HOME/codesync/publish/<hash of the tree path>.cache' },
  concurrency: { flags: '--concurrency <n>', doc: 'threads hashing files', defaultText: 'one per core, at most 4', parse: parseInteger('concurrency', 1) },
  uploadConcurrency: { flags: '--upload-concurrency <n>', doc: 'upload requests in flight at once', defaultText: '8', parse: parseInteger('upload-concurrency', 1) },
  json: { flags: '--json', doc: 'print the result as one JSON object instead of "SEQ DIGEST"', env: false },
  signKey: { flags: '--sign-key <file>', doc: 'Ed25519 private key (PKCS#8 PEM) that signs the release, for agents started with --trust-key' },
  ...progressOptions,
  retryTimeout: {
    flags: '--retry-timeout <duration>',
    doc: 'keep retrying a server that is unreachable or restarting (connection refused or reset, 502/503/504) this long; 0 fails at once',
    default: RETRY_TIMEOUT_DEFAULT_MS,
    defaultText: '2m',
    bareUnit: 's',
    parse: durationFlag('retry-timeout', 's'),
  },
  ...rolloutOptions('the new release'),
} satisfies OptionTable;

export interface PublishFlags extends ClientFlags, RolloutFlags {
  retryTimeout: number;
  progress: ProgressMode;
  app: string;
  meta: Record<string, string>;
  create?: boolean;
  selector?: string;
  exclude: string[];
  changedFrom?: string;
  watch?: boolean;
  debounce: number;
  cache?: string;
  concurrency?: number;
  uploadConcurrency?: number;
  json?: boolean;
  signKey?: string;
}
