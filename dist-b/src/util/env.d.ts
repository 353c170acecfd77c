export interface Env {
    node: string;
    v8: string;
    platform: string;
    arch: string;
    cpuModel: string;
    /** Cores this process may use (os.availableParallelism). */
    cores: number;
    memoryGiB: number;
    /** ISO time the run started. */
    date: string;
}
export declare function readEnv(): Env;
/** The warning every result carries when workers outnumber cores. */
export declare function oversubscription(workers: number, cores: number): string | null;
