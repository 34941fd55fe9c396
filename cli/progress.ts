/** Redraws at most this often: a 10 000-file publish must not spend its time painting. */
const FRAME_MS = 100;

/**
 * One self-overwriting status line on stderr, drawn only when stderr is a terminal: piped or
 * logged output (CI) stays clean, and stdout stays free for the command's result.
 */
export class Progress {
  private lastDraw = 0;
  private drawn = false;
  private pending: (() => string) | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    readonly enabled: boolean = stream.isTTY === true,
  ) {}

  /** Shows the line `render()` makes, unless one was drawn less than a frame ago. */
  update(render: () => string): void {
    if (!this.enabled) return;
    this.pending = render;
    const now = Date.now();
    if (now - this.lastDraw < FRAME_MS) return;
    this.draw(now);
  }

  /** Erases the line so the next output starts on a clean line. */
  clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write('\r\x1b[2K');
    this.drawn = false;
    this.pending = undefined;
  }

  private draw(now: number): void {
    const render = this.pending;
    if (!render) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(`\r\x1b[2K${render()}`);
  }
}

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
