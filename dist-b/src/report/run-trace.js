/**
 * The plain data a run records of how its workers interleaved. The engine
 * produces it; chrome-trace.ts turns it into a Chrome trace (`--trace FILE`)
 * and replay-html.ts into a page (`replay --html FILE`). Plain JSON-able
 * values only, so a trace can be written out and read back as it is.
 */
/** What one clock unit is, for axis titles and the trace's metadata. */
export function clockUnit(clock) {
    return clock === 'step' ? 'scheduler step' : 'Lamport clock tick';
}
//# sourceMappingURL=run-trace.js.map