import { z } from 'zod';
import type { Profile } from './tuning.js';
/** Where the C source is, from bench/ (vitest runs the .ts) or from dist/bench/. */
export declare function mapbenchSource(): string;
/** The built binary beside the compiled bench: dist/bench/mapbench. */
export declare const defaultMapbenchBinary: () => string;
export declare const CC = "cc";
/** Is there a C compiler called `cc` on PATH? */
export declare function haveCc(): boolean;
export declare function buildMapbench(out: string): void;
export declare const DOMAIN_MODES: readonly ["private", "shared"];
export type DomainMode = (typeof DOMAIN_MODES)[number];
export declare const NATIVE_LOCKS: readonly ["ticket", "mutex"];
export type NativeLock = (typeof NATIVE_LOCKS)[number];
export interface MapbenchArgs {
    threads: number;
    domains: DomainMode;
    ops: number;
    pages: number;
    inflight: number;
    lock: NativeLock;
}
declare const mapbenchLine: z.ZodObject<{
    bench: z.ZodLiteral<"mapbench">;
    threads: z.ZodNumber;
    domains: z.ZodEnum<{
        shared: "shared";
        private: "private";
    }>;
    lock: z.ZodEnum<{
        ticket: "ticket";
        mutex: "mutex";
    }>;
    ops: z.ZodNumber;
    pages: z.ZodNumber;
    inflight: z.ZodNumber;
    completion: z.ZodLiteral<"fifo">;
    tableStyle: z.ZodLiteral<"refcount">;
    windowPages: z.ZodNumber;
    iovaBasePfn: z.ZodNumber;
    totalOps: z.ZodNumber;
    wallNs: z.ZodNumber;
    nsPerOp: z.ZodNumber;
    opsPerThread: z.ZodArray<z.ZodNumber>;
    violations: z.ZodNumber;
}, z.core.$strip>;
export type MapbenchResult = z.infer<typeof mapbenchLine>;
/** Parse mapbench's one output line; throws naming what is wrong. */
export declare function parseMapbenchLine(line: string): MapbenchResult;
/** Run the binary once; a failed check (exit 1) or any other failure throws. */
export declare function runMapbench(bin: string, a: MapbenchArgs, timeoutMs?: number): MapbenchResult;
export interface NativeRow {
    label: string;
    threads: number;
    domains: DomainMode;
    /** Median ns/op (wall time over all threads' operations) of each side. */
    ticketNs: number;
    mutexNs: number;
    jsNs: number;
    /** jsNs / ticketNs. */
    ratio: number;
}
export type NativeResult = {
    state: 'skipped';
    reason: string;
} | {
    state: 'done';
    ops: number;
    reps: number;
    rows: NativeRow[];
};
export declare function measureNative(p: Profile): Promise<NativeResult>;
export declare function formatNative(r: NativeResult): string;
export {};
