/**
 * The output files of a command: all checked before any work starts (exit 2
 * for a path that cannot be written, output.ts), written after the report
 * is out (a failure then is one line naming the path and the reason).
 */
import { type CheckOptions, type OutputTarget } from './output.js';
export declare class OutputFile {
    private readonly target;
    constructor(target: OutputTarget);
    get path(): string;
    /** Write the whole text (whole or not at all for a regular file; an OutputError of one line if it fails). */
    write(text: string): void;
}
/** Check every output a command was given ([flag, value], and options); null where none was given. */
export declare function checkOutputs<const T extends readonly (readonly [string, unknown, CheckOptions?])[]>(list: T): {
    [K in keyof T]: OutputFile | null;
};
