/** Nanoseconds, with one decimal below 100 ns (micro-benchmark scale). */
export declare function ns1(t: number): string;
/** Relative margin of error. */
export declare const rme: (pctValue: number) => string;
/** A signed percentage with one decimal. */
export declare const signedPct: (x: number) => string;
/** A ratio as "12.3x". */
export declare const times: (x: number) => string;
