/**
 * A design: the pieces one run is made of, loaded (built-ins by name, user
 * modules by path), checked, and the same in every worker. The engine calls
 * these pieces and branches on nothing else.
 */
import type { AgentDef, AllocatorDef, Config, DriverDef, FlushDef, LockDef, RaceDef } from '../api/types.js';
import type { Invariant } from '../checker/invariants.js';
import { type Layout, type MemoryModelName, computeLayout } from '../memory/layout.js';

export type Variant = 'broken' | 'correct';

export interface Design {
  readonly config: Config;
  readonly driver: DriverDef;
  readonly lock: LockDef;
  readonly allocator: AllocatorDef;
  readonly flush: FlushDef;
  /** Agents beside the device workers, in order (agent numbers follow the workers'). */
  readonly agents: readonly AgentDef[];
  /** Device workers run the map / DMA / unmap loop (a race may turn it off). */
  readonly deviceLoop: boolean;
  readonly race: RaceDef | null;
  readonly variant: Variant | null;
  readonly invariants: readonly Invariant[];
  /** Controlled runs: steps between flush-queue timer ticks (0: never). */
  readonly timerEverySteps: number;
  /** Words of the race's own shared memory (0: none). */
  readonly sharedWords: number;
  /** Where each piece comes from (`built-in`, or its file and export), for reports that name the design's code. */
  readonly where: Readonly<Record<'driver' | 'lock' | 'allocator' | 'flush' | 'race', string>>;
}

export type PieceName = keyof Design['where'];

/** "driver amd-v1's audit() (examples/drivers/amd-v1.mjs)": a function of the design, for reports. */
export function codeName(d: Design, piece: PieceName, fn: string): string {
  const name = piece === 'race' ? (d.race?.name ?? '') : d[piece].name;
  const where = d.where[piece];
  return `${piece} ${name}'s ${fn}()${where === 'built-in' ? '' : ` (${where})`}`;
}

/** The shared-memory layout of a design; `schedSteps`: the longest controlled run (0: free running only). */
export function layoutOf(design: Design, schedSteps: number, memoryModel: MemoryModelName = 'sc'): Layout {
  return computeLayout({
    config: design.config,
    driver: design.driver,
    allocator: design.allocator,
    flush: design.flush,
    lock: design.lock,
    extraAgents: design.agents.length,
    invariants: design.invariants.length,
    schedSteps,
    sharedWords: design.sharedWords,
    memoryModel,
  });
}

/** How a worker loads one piece again: a built-in by name, or a module by URL and the path of the piece in it (an export, or a property path such as `broken.driver` for a piece a race gives inline). */
export type PieceSpec = { readonly builtin: string } | { readonly url: string; readonly exportName: string | null };

/** Everything a worker needs to load the same design (plain data: it crosses by structured clone). */
export interface DesignSpec {
  readonly config: Config;
  readonly driver: PieceSpec;
  readonly lock: PieceSpec;
  readonly allocator: PieceSpec;
  readonly flush: PieceSpec;
  /** The race (its agents, invariants, setup and checks), or null. */
  readonly race: { readonly spec: PieceSpec; readonly variant: Variant } | null;
}
