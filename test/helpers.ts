/** Single-threaded fixtures over the real shared-memory layout. */
import { resolveConfig, type Config } from '../src/config/config.js';
import { createShared, type Shared } from '../src/memory.js';
import { ViolationLog } from '../src/checker.js';
import { PageTables } from '../src/pgtable.js';
import { IovaAllocator } from '../src/iova.js';
import { C_VIOL_BY_CODE, DOM_ROOT, countersAt, domainAt } from '../src/layout.js';

export interface Fixture {
  sh: Shared;
  cfg: Config;
  log: ViolationLog;
  pt: PageTables;
  iova: IovaAllocator;
  root: number;
  /** Violations recorded so far with this invariant code. */
  violations(code: number): number;
}

export function fixture(overrides: Partial<Config> = {}): Fixture {
  const cfg = resolveConfig({ devices: 1, ...overrides });
  const sh = createShared(cfg);
  const log = new ViolationLog(sh.m, sh.f, countersAt(sh.L, 0), 0);
  const pt = new PageTables(sh.m, sh.L, cfg.tableStyle, log);
  return {
    sh,
    cfg,
    log,
    pt,
    iova: new IovaAllocator(sh.m, sh.L),
    root: sh.m[domainAt(sh.L, 0) + DOM_ROOT]!,
    violations: (code) => sh.f[countersAt(sh.L, 0) + C_VIOL_BY_CODE + code]!,
  };
}
