/**
 * The exhaustive searches, as loom keeps one (src/rt/path.rs): the path of
 * the current run, a node per step, each knowing who could go there, who
 * went, and who is still to be tried. Every run replays a prefix of
 * choices from the initial memory (stateless model checking) and then
 * takes the default choice (the last agent again if it can go, else the
 * lowest that can); after it, the search adds what is left to try, and the
 * next prefix flips the deepest node that has something left.
 *
 *   dfs   every agent that could go at every node: every schedule within
 *         the bound, no reduction (the reference dpor is tested against)
 *   dpor  only the agents that reverse a race: two dependent steps of
 *         different agents not ordered by happens-before (Flanagan and
 *         Godefroid's DPOR, with vector clocks, as loom does), so each
 *         Mazurkiewicz trace is run at least once; unbounded, with sleep
 *         sets, once
 *
 * Under tso or weak a node's step may also be a load that could take more
 * than one store (execution.ts `rfn`): every one of them is tried there,
 * as loom tries every store a load may read, before the node's other
 * agents; they are no preemptions.
 *
 * The bound counts preemptions: a switch away from an agent that could
 * have gone on. With a bound, dpor adds loom's conservative second
 * backtrack point (the start of the block before the race; Coons, Musuvathi
 * and McKinley, "Bounded partial-order reduction", 2013) and no sleep sets,
 * which are unsound under a bound: a trace may then run more than once.
 */
import { A_NONE } from '../sched/access.js';
import { type AccessOf, dependent } from '../sched/dependence.js';
import { type Execution, accessAt, nextSteps } from './execution.js';
import { type Clocks, LastAccesses, clocksOf } from './clocks.js';

export type SearchKind = 'dfs' | 'dpor';

interface Node {
  /** Agents that could go, a bit each. */
  enabled: number;
  /** The agent chosen in the current run. */
  chosen: number;
  /** The agent of the step before (-1 at the first). */
  last: number;
  /** Preemptions on the path before this node. */
  preemptions: number;
  /** Agents still to try here, and agents tried (the chosen one included). */
  todo: number;
  done: number;
  /** dpor, unbounded: agents asleep here (their next step was explored from an earlier state). */
  sleep: number;
  /** Each agent's next access at this state (for the sleep sets of the flips made here). */
  next: AccessOf[];
  /** tso, weak: the store the chosen agent's load takes here (0: the newest), and how many it could (-1: not yet run). */
  rf: number;
  rfn: number;
}

/** What the next run must do: its prefix of choices (and, under tso or weak, of loads' stores), and (dpor) who sleeps from the end of the prefix. */
export interface Prefix {
  choices: number[];
  reads: [number, number][];
  sleep: { from: number; mask: number } | null;
}

const bit = (a: number): number => 1 << a;
const lowest = (mask: number): number => 31 - Math.clz32(mask & -mask);
const NONE: AccessOf = { kind: A_NONE, addr: 0, len: 0, set: null };

export class SearchTree {
  private nodes: Node[] = [];
  private prefixLength = 0;
  private started = false;
  /** Runs that returned, and of those the runs the search could not expand (cut at the step limit). */
  runs = 0;
  cut = 0;

  constructor(
    readonly kind: SearchKind,
    /** Preemptions allowed on a path; null: unbounded. */
    readonly bound: number | null,
  ) {}

  /** Sleep sets are sound only without a bound. */
  get sleepSets(): boolean {
    return this.kind === 'dpor' && this.bound === null;
  }

  /** The next prefix to run, or null when every choice within the bound has been tried. */
  next(): Prefix | null {
    if (!this.started) {
      this.started = true;
      this.prefixLength = 0;
      return { choices: [], reads: [], sleep: null };
    }
    for (let k = this.nodes.length - 1; k >= 0; k--) {
      const node = this.nodes[k]!;
      if (node.rf + 1 < node.rfn) {
        // The same agent's load taking the next older store: the sleep set it was chosen under holds from here.
        node.rf++;
        this.nodes.length = k + 1;
        this.prefixLength = k + 1;
        return { choices: this.nodes.map((n) => n.chosen), reads: this.readsOf(), sleep: this.sleepSets && node.sleep !== 0 ? { from: k, mask: node.sleep } : null };
      }
      const todo = node.todo & ~node.done & ~node.sleep;
      if (todo === 0) continue;
      const a = lowest(todo);
      const before = node.done;
      node.todo &= ~bit(a);
      node.done |= bit(a);
      node.chosen = a;
      node.rf = 0;
      node.rfn = -1;
      this.nodes.length = k + 1;
      this.prefixLength = k + 1;
      const choices = this.nodes.map((n) => n.chosen);
      const reads = this.readsOf();
      if (!this.sleepSets) return { choices, reads, sleep: null };
      // Sleep sets: what was tried here, and what slept here, sleeps below, until a step dependent with its
      // next one is taken; the decider wakes them, starting with this choice's own step, by what it did.
      const mask = (before | node.sleep) & ~bit(a);
      return { choices, reads, sleep: { from: k + 1, mask } };
    }
    return null;
  }

  /** The prefix's loads that take another store than the newest. */
  private readsOf(): [number, number][] {
    const out: [number, number][] = [];
    for (let k = 0; k < this.nodes.length; k++) if (this.nodes[k]!.rf > 0) out.push([k, this.nodes[k]!.rf]);
    return out;
  }

  /** The default choice at a node, as the decider makes it (and as schedules record departures from it): the last agent if it can go, else the lowest that can. */
  static defaultAt(enabled: number, last: number): number {
    if (last >= 0 && (enabled & bit(last)) !== 0) return last;
    return enabled === 0 ? -1 : lowest(enabled);
  }

  /** A prefix as switch points: the steps whose choice is not the default one (no sleep set applies within a prefix). */
  switchesOf(p: Prefix): [number, number][] {
    const out: [number, number][] = [];
    for (let k = 0; k < p.choices.length; k++) {
      const n = this.nodes[k]!;
      if (p.choices[k] !== SearchTree.defaultAt(n.enabled, n.last)) out.push([k, p.choices[k]!]);
    }
    return out;
  }

  private isPreemption(n: Node, a: number): boolean {
    return n.last >= 0 && (n.enabled & bit(n.last)) !== 0 && a !== n.last;
  }

  private allowed(n: Node, a: number): boolean {
    return this.bound === null || n.preemptions + (this.isPreemption(n, a) ? 1 : 0) <= this.bound;
  }

  /**
   * A run of the last prefix came back: check it followed the prefix (a run
   * that did not is a design that is not deterministic under control), add
   * its new nodes, and what is left to try. `expand` false for a run cut at
   * the step limit: its nodes are kept, nothing is added below the prefix.
   */
  record(x: Execution, expand: boolean, given?: Clocks): void {
    this.runs++;
    const pl = this.prefixLength;
    for (let k = 0; k < pl; k++) {
      const n = this.nodes[k]!;
      if (k >= x.n || x.agent[k] !== n.chosen || x.enabled[k] !== n.enabled || x.rf[k] !== n.rf || (n.rfn >= 0 && x.rfn[k] !== n.rfn)) {
        throw new NondeterminismError(k, n.chosen, k < x.n ? x.agent[k]! : -1, n.enabled, k < x.n ? x.enabled[k]! : 0);
      }
      n.rfn = x.rfn[k]!;
    }
    if (!expand) {
      this.cut++;
      return;
    }
    const next = nextSteps(x);
    const A = x.agents;
    for (let k = pl; k < x.n; k++) {
      const last = k === 0 ? -1 : x.agent[k - 1]!;
      const prev = this.nodes[k - 1];
      const preemptions = prev ? prev.preemptions + (this.isPreemption(prev, prev.chosen) ? 1 : 0) : 0;
      const chosen = x.agent[k]!;
      const nextAccess: AccessOf[] = [];
      if (this.sleepSets) for (let a = 0; a < A; a++) nextAccess.push(pendingAt(x, next, k, a));
      const node: Node = { enabled: x.enabled[k]!, chosen, last, preemptions, todo: 0, done: bit(chosen), sleep: x.sleep[k]!, next: nextAccess, rf: x.rf[k]!, rfn: x.rfn[k]! };
      if (this.kind === 'dfs') {
        for (let rest = node.enabled & ~node.done; rest !== 0; rest &= rest - 1) {
          const a = lowest(rest);
          if (this.allowed(node, a)) node.todo |= bit(a);
        }
      }
      this.nodes.push(node);
    }
    if (this.kind === 'dpor') {
      const clocks = given ?? clocksOf(x);
      if (this.sleepSets) this.sourceRaces(x, pl, clocks);
      else this.races(x, next, clocks);
    }
  }

  /**
   * Unbounded dpor: source sets (Abdulla, Aronis, Jonsson and Sagonas,
   * "Optimal dynamic partial order reduction", 2014, source-DPOR) with
   * sleep sets. For every race of the run (a step, and the last step of
   * another agent it depends on that does not happen before it), the
   * search must try, at the earlier step's node, some agent that can start
   * the reversed order: an initial of the steps after it that do not depend
   * on it, followed by the later step's agent. Only if none of them is
   * tried there already is one added (where none of them could go there,
   * every agent that could).
   */
  private sourceRaces(x: Execution, prefixLength: number, c: Clocks): void {
    const A = x.agents;
    const hbSteps = (i: number, j: number): boolean => c.vc[j * A + x.agent[i]!]! >= c.vc[i * A + x.agent[i]!]!;
    for (let j = Math.max(0, prefixLength - 1); j < x.n; j++) {
      const p = x.agent[j]!;
      const prev = c.prevOf[j]!;
      for (const i of c.preds[j]!) {
        if (x.agent[i] === p) continue;
        // Happens before p's previous step: then not a race of this step.
        if (prev >= 0 && c.vc[prev * A + x.agent[i]!]! >= c.vc[i * A + x.agent[i]!]!) continue;
        const node = this.nodes[i];
        if (!node) continue;
        const open = node.enabled & ~node.sleep;
        if ((open & ~(node.done | node.todo)) === 0) continue; // nothing left that this race could add
        // v = the steps after i that do not happen after it, then p: its initials.
        const v: number[] = [];
        for (let w = i + 1; w < j; w++) if (!hbSteps(i, w)) v.push(w);
        let initials = 0;
        let seen = 0;
        for (let u = 0; u < v.length; u++) {
          const a = x.agent[v[u]!]!;
          if ((seen & bit(a)) !== 0) continue;
          seen |= bit(a);
          let first = true;
          for (let t = 0; t < u && first; t++) if (hbSteps(v[t]!, v[u]!)) first = false;
          if (first) initials |= bit(a);
        }
        if ((seen & bit(p)) === 0) {
          let first = true;
          for (let t = 0; t < v.length && first; t++) if (hbSteps(v[t]!, j)) first = false;
          if (first) initials |= bit(p);
        }
        if ((initials & (node.done | node.todo)) !== 0) continue;
        const can = initials & open;
        if (can !== 0) {
          node.todo |= (can & bit(p)) !== 0 ? bit(p) : bit(lowest(can));
        } else if ((initials & node.enabled & node.sleep) === 0) {
          node.todo |= open & ~node.done; // no initial could go at i: every agent that could
        }
      }
    }
  }

  /**
   * Flanagan and Godefroid's DPOR over the run, as loom runs it at each
   * branch: at every state, for every agent's next access, the last
   * dependent steps of other agents; one that does not happen before the
   * agent (vector clocks: program order, and every pair of dependent steps
   * in the order they ran) could have gone the other way, and the agent is
   * to be tried at its node. Written by events, not by states: an agent's
   * last dependent steps change only when it takes a new next access (then
   * all are checked) or when another agent takes a step dependent with it
   * (then that step is the one, and it cannot happen before the agent).
   */
  private races(x: Execution, next: Int32Array, c: Clocks): void {
    const A = x.agents;
    const last = new LastAccesses((s) => x.agent[s]!);
    /** Each agent's last step so far (-1: none), and its next access now. */
    const at = new Int32Array(A).fill(-1);
    const pending: AccessOf[] = [];
    const happensBefore = (i: number, q: number): boolean => at[q]! >= 0 && c.vc[at[q]! * A + x.agent[i]!]! >= c.vc[i * A + x.agent[i]!]!;
    const checkAll = (q: number, k: number): void => {
      const acc = pendingAt(x, next, k, q);
      pending[q] = acc;
      const deps: number[] = [];
      last.depends(acc, deps);
      for (const i of deps) if (x.agent[i] !== q && !happensBefore(i, q)) this.backtrack(i, q);
    };
    for (let q = 0; q < A; q++) checkAll(q, 0);
    for (let k = 0; k < x.n; k++) {
      const p = x.agent[k]!;
      const acc = accessAt(x, k);
      last.took(k, acc);
      at[p] = k;
      for (let q = 0; q < A; q++) if (q !== p && dependent(acc, pending[q]!)) this.backtrack(k, q);
      checkAll(p, k + 1);
    }
  }

  /** Try `q` at node `i` (all that could go there, if `q` could not); under a bound, also at the start of the block before it. */
  private backtrack(i: number, q: number): void {
    this.addAt(i, q);
    if (this.bound === null) return;
    let j = i - 1;
    while (j > 0 && this.nodes[j]!.chosen === this.nodes[j - 1]!.chosen) j--;
    if (j >= 0) this.addAt(j, q);
  }

  private addAt(i: number, q: number): void {
    const n = this.nodes[i];
    if (!n) return;
    const free = n.enabled & ~n.done & ~n.sleep;
    if ((n.enabled & bit(q)) !== 0) {
      if ((free & bit(q)) !== 0 && this.allowed(n, q)) n.todo |= bit(q);
      return;
    }
    for (let rest = free; rest !== 0; rest &= rest - 1) {
      const a = lowest(rest);
      if (this.allowed(n, a)) n.todo |= bit(a);
    }
  }
}

/**
 * Agent `a`'s next access at state `k` of a run, as its point announces it:
 * a cas that failed when it ran later may swap from this state, so it
 * counts as the write it may be.
 */
function pendingAt(x: Execution, next: Int32Array, k: number, a: number): AccessOf {
  const s = next[k * x.agents + a]!;
  return s >= 0 ? accessAt(x, s, true) : (x.pending[a] ?? NONE);
}

/** A prefix replayed twice took two paths: the design's code is not deterministic under the controlled scheduler. */
export class NondeterminismError extends Error {
  override readonly name = 'NondeterminismError';
  constructor(
    readonly step: number,
    readonly expected: number,
    readonly got: number,
    readonly enabledBefore: number,
    readonly enabledNow: number,
  ) {
    super(
      got !== expected
        ? `step ${step}: the same prefix of choices let agent ${got < 0 ? '(none: the run ended)' : got} go where it had let agent ${expected} go before`
        : `step ${step}: the same prefix of choices found other agents able to go (mask ${enabledNow.toString(2)}, before ${enabledBefore.toString(2)})`,
    );
  }
}
