import { EventEmitter } from 'node:events';
/** Labels fixed for the life of the process (`--labels k=v,...`). */
export class StaticNodeLabels extends EventEmitter {
    labels;
    constructor(labels) {
        super();
        this.labels = Object.freeze({ ...labels });
    }
    current() {
        return this.labels;
    }
    known() {
        return true;
    }
    async start() { }
}
//# sourceMappingURL=node-labels.js.map