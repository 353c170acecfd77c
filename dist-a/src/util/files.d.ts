export interface InputFile {
    /** How messages name it: `--config`, `report`, `schedule`. */
    what: string;
    /** What the user may give instead, for messages: `an NDJSON file written by iommu-stress sweep`. */
    allowed: string;
    /** Refused, before it is read, beyond this many bytes. */
    maxBytes: number;
}
/** The whole file, or a UsageError. */
export declare function readInputFile(path: string, spec: InputFile): Buffer;
