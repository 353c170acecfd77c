import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FIELDS } from '../src/config/config.js';
import { BUILTIN_INVARIANTS } from '../src/checker/invariants.js';
import { DRIVERS } from '../src/drivers/registry.js';
import { ALLOCATORS } from '../src/allocators/registry.js';
import { FLUSHES } from '../src/flush/registry.js';
import { RACES } from '../src/races/registry.js';
import { SCENARIOS } from '../src/scenarios/index.js';
import { LOCKS } from '../src/locks/registry.js';
import { buildProgram } from '../src/cli/cli.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README stays true', () => {
  it('documents every option', () => {
    for (const f of FIELDS) expect(readme, f.flag).toContain(`\`${f.flag} `);
  });
  it('documents every command', () => {
    for (const c of buildProgram().commands) expect(readme, c.name()).toContain(`iommu-stress ${c.name()}`);
  });
  it('names every built-in piece, race, scenario and invariant', () => {
    for (const x of [...LOCKS, ...DRIVERS, ...ALLOCATORS, ...FLUSHES, ...RACES, ...SCENARIOS, ...BUILTIN_INVARIANTS]) expect(readme, x.name).toContain(`\`${x.name}\``);
  });
  it('names every export of the package API', async () => {
    const api = await import('../src/api/index.js');
    for (const name of ['defineDriver', 'defineLock', 'defineRace', 'defineAllocator', 'defineFlush', 'defineAgent', 'run', 'explore', 'replay', 'shrink']) {
      expect(Object.keys(api)).toContain(name);
      expect(readme, name).toContain(name);
    }
  });
  it('gives the two quick-start commands', () => {
    expect(readme).toMatch(/npm ci && npm run demo/);
    expect(readme).toMatch(/^npm test/m);
  });
});
