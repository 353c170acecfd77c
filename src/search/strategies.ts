/**
 * The search strategies of `explore`, what each covers, and what its
 * verdict means when nothing forbidden is found.
 */
export const SEARCH_STRATEGIES = ['random', 'pct', 'dfs', 'dpor'] as const;
export type SearchStrategy = (typeof SEARCH_STRATEGIES)[number];

/** The schedules explore tries at most unless told: a sample for random and PCT; for dfs and dpor, a budget that lets a search run to its end. */
export const defaultRuns = (s: SearchStrategy): number => (s === 'dfs' || s === 'dpor' ? 100_000 : 100);

export const STRATEGY_HELP: Record<SearchStrategy, string> = {
  random: 'a random walk: each step an agent drawn from those that can go; sampled, not exhaustive',
  pct: 'probabilistic concurrency testing: random priorities and d-1 change points; finds a depth-d bug with probability at least 1/(n k^(d-1)) a run; not exhaustive',
  dfs: 'every schedule within the preemption bound, no reduction (the reference dpor is checked against): exhaustive within the bound',
  dpor: 'every Mazurkiewicz trace within the preemption bound, by dynamic partial-order reduction (source sets and sleep sets when unbounded): exhaustive within the bound',
};

/** What a search covered: the line explore ends with, and `search` in its JSON. */
export interface SearchSummary {
  strategy: SearchStrategy;
  /** Every schedule within the bound was covered (dfs: run; dpor: run, or equivalent to one run), none cut short. */
  exhaustive: boolean;
  bound: { preemptions: number } | null;
  /** Distinct Mazurkiewicz traces among the runs (search/canonical.ts). */
  traces: number;
  /** Runs made (dpor's redundant ones included). */
  schedules: number;
  /** dfs, dpor: the --runs budget ran out before the tree did. */
  budgetReached: boolean;
  /** Runs cut at the step limit, not livelocked: inconclusive, never counted as clean. */
  inconclusive: number;
  /** dpor: runs ended by its sleep sets as repeats of a trace already run (not traces, no outcome). */
  redundant: number;
  /** The memory model the runs' loads read under. */
  memoryModel: 'sc' | 'tso' | 'weak';
  /** What the search did otherwise than its name says (dpor under tso searches as dfs), in words; absent when nothing. */
  note?: string;
}

