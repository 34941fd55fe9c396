/** Redraws a terminal line at most this often: a 10 000-file publish must not spend its time painting. */
const FRAME_MS = 100;
/** Plain progress lines at most this often, so a CI log shows a long phase moving without filling up. */
const PLAIN_EVERY_MS = 2000;
/** The `--progress` flag of the commands that report progress (publish, status --wait). */
export const progressOptions = {
    progress: { flags: '--progress <mode>', doc: 'auto: a live line on a terminal, plain lines otherwise (CI logs); plain; none', choices: ['auto', 'plain', 'none'], default: 'auto' },
};
/**
 * Progress on stderr, so stdout stays free for the command's result. On a terminal one
 * self-overwriting line; in plain mode (stderr piped or logged, as in CI) whole lines, a phase's
 * running count at most every 2 s and milestones (`line`) as they come.
 */
export class Progress {
    stream;
    style;
    /** Starts at creation: a phase over within the first interval prints no plain line at all. */
    lastDraw = Date.now();
    drawn = false;
    lastText = '';
    pending;
    constructor(mode = 'auto', stream = process.stderr) {
        this.stream = stream;
        this.style = mode === 'none' ? 'none' : mode === 'plain' || stream.isTTY !== true ? 'plain' : 'tty';
    }
    get enabled() {
        return this.style !== 'none';
    }
    /** Shows the text `render()` makes, unless a line was drawn too recently. */
    update(render) {
        if (this.style === 'none')
            return;
        this.pending = render;
        const now = Date.now();
        if (now - this.lastDraw < (this.style === 'tty' ? FRAME_MS : PLAIN_EVERY_MS))
            return;
        this.draw(now);
    }
    /** A milestone (`3/20 nodes at seq 7`): always shown, once, on a line of its own. */
    line(text) {
        if (this.style === 'none' || text === this.lastText)
            return;
        this.clear();
        this.lastText = text;
        this.stream.write(`${text}\n`);
    }
    /** Erases a live line so the next output starts on a clean line. */
    clear() {
        this.pending = undefined;
        if (this.style !== 'tty' || !this.drawn)
            return;
        this.stream.write('\r\x1b[2K');
        this.drawn = false;
    }
    draw(now) {
        const render = this.pending;
        if (!render)
            return;
        this.lastDraw = now;
        const text = render();
        if (this.style === 'plain') {
            if (text !== this.lastText)
                this.stream.write(`${text}\n`);
            this.lastText = text;
            return;
        }
        this.drawn = true;
        this.stream.write(`\r\x1b[2K${text}`);
    }
}
/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
//# sourceMappingURL=progress.js.map