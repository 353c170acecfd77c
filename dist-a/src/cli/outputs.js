/**
 * The output files of a command: all checked before any work starts (exit 2
 * for a path that cannot be written, output.ts), written after the report
 * is out (a failure then is one line naming the path and the reason).
 */
import { checkOutput, writeOutput } from './output.js';
export class OutputFile {
    target;
    constructor(target) {
        this.target = target;
    }
    get path() {
        return this.target.path;
    }
    /** Write the whole text (whole or not at all for a regular file; an OutputError of one line if it fails). */
    write(text) {
        writeOutput(this.target, text);
    }
}
/** Check every output a command was given ([flag, value], and options); null where none was given. */
export function checkOutputs(list) {
    return list.map(([flag, v, opts]) => (v === undefined || v === null ? null : new OutputFile(checkOutput(typeof v === 'string' ? v : String(v), flag, opts ?? {}))));
}
//# sourceMappingURL=outputs.js.map