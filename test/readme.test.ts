import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FIELDS } from '../src/config/config.js';
import { INVARIANTS } from '../src/checker.js';
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
  it('names every lock algorithm and every invariant', () => {
    for (const l of LOCKS) expect(readme, l.name).toContain(`\`${l.name}\``);
    for (const i of INVARIANTS) expect(readme, i.name).toContain(`\`${i.name}\``);
  });
  it('gives the two quick-start commands', () => {
    expect(readme).toMatch(/npm ci && npm run demo/);
    expect(readme).toMatch(/^npm test/m);
  });
});
