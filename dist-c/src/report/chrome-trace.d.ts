/**
 * A RunTrace as a Chrome trace (Trace Event Format, JSON), the file that
 * Perfetto (ui.perfetto.dev) and chrome://tracing open: one process named by
 * the trace's title, a thread per track, the slices as complete events, the
 * instants as instant events, the lock hand-offs as flow arrows from the
 * release to the next acquisition. checkChromeTrace() says what is wrong
 * with an object as such a trace, as the viewers would find it.
 *
 * Time: one clock unit (a scheduler step, or a Lamport tick) is 1 µs of
 * `ts`, the format's unit, so Perfetto's time ruler reads in steps.
 * `displayTimeUnit` is 'ms', the format's default: Perfetto reads 'ns' as the
 * unit of `ts` itself (not only of the display), which would shrink the run a
 * thousandfold and round the half-step slices below away.
 *
 * Zero-length slices (a lock taken and dropped within one step, a map between
 * two ticks of the clock) are drawn MIN_DUR wide, half a unit: visible, and
 * still short of the next step. Where that would stick out of an enclosing
 * slice it is cut at the enclosing slice's end.
 *
 * Both viewers need the complete events of a thread to nest; slices of one
 * track that overlap without nesting (a lock held across the end of a map)
 * would be dropped, so such a slice goes to an extra thread of its own,
 * "<track> (overlapping)", and the count is in otherData (as is the count of
 * slices, instants and flows naming a track the trace does not list, which
 * have no thread to go on and are left out).
 */
import { type RunTrace } from './run-trace.js';
export type TraceArgs = Record<string, string | number>;
interface EventBase {
    name: string;
    pid: number;
    tid: number;
    ts: number;
}
export interface MetadataEvent extends EventBase {
    ph: 'M';
    args: TraceArgs;
}
export interface CompleteEvent extends EventBase {
    ph: 'X';
    cat: string;
    dur: number;
    args: TraceArgs;
}
export interface InstantEvent extends EventBase {
    ph: 'i';
    cat: string;
    /** Scope: 't' on the thread, 'g' global (chrome://tracing draws a line across every thread). */
    s: 't' | 'g';
    args: TraceArgs;
}
/** A flow is its id, cat and name together (Perfetto's key): its start and its end carry all three. */
export interface FlowStartEvent extends EventBase {
    ph: 's';
    cat: string;
    id: number;
}
export interface FlowEndEvent extends EventBase {
    ph: 'f';
    cat: string;
    id: number;
    /** Bind to the enclosing slice, not to the next one to begin. */
    bp: 'e';
}
export type ChromeTraceEvent = MetadataEvent | CompleteEvent | InstantEvent | FlowStartEvent | FlowEndEvent;
export interface ChromeTrace {
    /** First in the object: Perfetto only looks for it at the start of the file. */
    displayTimeUnit: 'ms';
    otherData: Record<string, string | number>;
    traceEvents: ChromeTraceEvent[];
}
/** The one process of the trace. */
export declare const TRACE_PID = 1;
/** Thread id of the first track; the rest follow in track order (Perfetto orders threads by id, chrome://tracing by thread_sort_index). Away from the pid: a thread whose id is its process's is that process's main thread to Perfetto. */
export declare const TID_BASE = 10;
/** Width of a zero-length slice, µs (clock units). */
export declare const MIN_DUR = 0.5;
export declare function toChromeTrace(t: RunTrace): ChromeTrace;
/**
 * What is wrong with `obj` as a Chrome trace, one line a problem; [] when
 * nothing is. Checks the shape (traceEvents, each event's ph, name, pid, tid,
 * ts; dur of complete events; the scope of instants), that the complete
 * events of each thread nest, that every thread with events is named, and
 * that every flow start has exactly one end, later, and that both bind to a
 * slice (Perfetto's rule: the slice begun last on the thread, which must
 * still be open at the flow event).
 */
export declare function checkChromeTrace(obj: unknown): string[];
export {};
