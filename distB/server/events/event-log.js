import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
/**
 * The append-only event log at `events.jsonl`: one JSON line per event, so `Last-Event-ID`
 * resumes across a server restart. Keeps the newest `retain` events; the file is rewritten
 * (atomically) when it has grown to twice that.
 */
export class EventLog {
    dataDir;
    retain;
    events = [];
    lastId = 0;
    fd;
    linesInFile = 0;
    path;
    constructor(dataDir, 
    /** Events kept for resuming; an older Last-Event-ID gets `event: reset`. */
    retain = 10_000) {
        this.dataDir = dataDir;
        this.retain = retain;
        this.path = join(dataDir, 'events.jsonl');
    }
    init() {
        let text = '';
        try {
            text = readFileSync(this.path, 'utf8');
        }
        catch (err) {
            if (err.code !== 'ENOENT')
                throw err;
        }
        const lines = text.split('\n').filter(Boolean);
        for (const line of lines) {
            try {
                this.events.push(JSON.parse(line));
            }
            catch {
                // A line cut by a crash mid-append: that event was never acknowledged to anyone.
            }
        }
        this.events = this.events.slice(-this.retain);
        this.lastId = this.events.at(-1)?.id ?? 0;
        this.rewrite();
    }
    get latestId() {
        return this.lastId;
    }
    append(event, app, data) {
        const stored = { id: ++this.lastId, event, app, data };
        this.events.push(stored);
        if (this.events.length > this.retain)
            this.events.shift();
        writeSync(this.fd, `${JSON.stringify(stored)}\n`);
        if (++this.linesInFile >= 2 * this.retain)
            this.rewrite();
        return stored;
    }
    /** Events after `id`, or undefined when they are no longer all retained (the client must re-list). */
    since(id) {
        if (id > this.lastId)
            return undefined;
        const oldest = this.events[0]?.id ?? this.lastId + 1;
        if (id < oldest - 1)
            return undefined;
        return this.events.slice(id - oldest + 1);
    }
    close() {
        if (this.fd !== undefined)
            closeSync(this.fd);
        this.fd = undefined;
    }
    rewrite() {
        this.close();
        const temp = join(this.dataDir, 'tmp', `events-${process.pid}.jsonl`);
        writeFileSync(temp, this.events.map((event) => `${JSON.stringify(event)}\n`).join(''));
        const handle = openSync(temp, 'r');
        fsyncSync(handle);
        closeSync(handle);
        renameSync(temp, this.path);
        this.fd = openSync(this.path, 'a');
        this.linesInFile = this.events.length;
    }
}
//# sourceMappingURL=event-log.js.map