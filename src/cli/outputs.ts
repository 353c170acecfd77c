/**
 * The output files of a command, checked before any work starts (exit 2
 * for a path that cannot be written) and written after the report is out.
 */
import { UsageError } from '../util/errors.js';
import { checkWritable, writeText } from './output.js';

export class OutputFile {
  constructor(
    readonly flag: string,
    readonly path: string,
  ) {}
  /** Write the whole text; a failure is one line naming the path and the reason. */
  write(text: string): void {
    try {
      writeText(this.path, text);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new Error(`${this.flag} ${JSON.stringify(this.path)}: write failed: ${err.code ?? ''} ${err.message}`.trim());
    }
  }
}

/** Check every output a command was given ([flag, value]); null where none was. */
export function checkOutputs<const T extends readonly (readonly [string, unknown])[]>(list: T): { [K in keyof T]: OutputFile | null } {
  return list.map(([flag, v]) => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v === '') throw new UsageError(`${flag} ${JSON.stringify(v)}: not a path (allowed: a file in an existing directory)`);
    checkWritable(v, flag);
    return new OutputFile(flag, v);
  }) as { [K in keyof T]: OutputFile | null };
}
