/** Spin for roughly `n` loop iterations without touching shared memory. */
export declare function spinDelay(n: number): void;
