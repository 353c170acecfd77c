export interface Bar {
    setTotal(total: number): void;
    update(done: number, what?: string): void;
    /** A line of its own (a failed sweep point), between the bar's updates. */
    log(line: string): void;
    stop(): void;
}
export declare function createProgress(o: {
    label: string;
    unit: string;
    total?: number;
}): Bar;
/** A bar that fills with the time of a run (a terminal only, runs over a second). */
export declare function timeProgress(label: string, seconds: number): {
    tick(elapsedSec: number): void;
    stop(): void;
};
