/**
 * The benchmarks `bench/run.ts` knows, by name. Each lives in its own file and exports
 * `run(args: string[]): Promise<void>`; it is imported only when asked for, so one benchmark's
 * missing pieces never stop another from running. To add one: create bench/NAME.ts and add
 * `NAME: async () => (await import('./NAME.js')).run,` below.
 */
export type Bench = (args: string[]) => Promise<void>;

export const benches: Record<string, () => Promise<Bench>> = {
  publish: async () => (await import('./publish.js')).run,
  reload: async () => (await import('./reload.js')).run,
  cli: async () => (await import('./cli.js')).run,
  propagation: async () => (await import('./propagation.js')).run,
  herd: async () => (await import('./herd.js')).run,
  import: async () => (await import('./import.js')).run,
  validate: async () => (await import('./validate.js')).run,
  pull: async () => (await import('./pull.js')).run,
  'kube-memory': async () => (await import('./kube-memory.js')).run,
  'server-memory': async () => (await import('./server-memory.js')).run,
};
