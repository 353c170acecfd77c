/**
 * The import graph a fingerprint and a module's version cover
 * (src/modules/imports.ts): every file a module imports, transitively, by a
 * file specifier, found by a lexer (comments and strings do not fool it),
 * each file once, and read once while its stamp holds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { firstChanged, importGraph, versionOf } from '../src/modules/imports.js';
import { fingerprint, racePart } from '../src/modules/fingerprint.js';

const root = mkdtempSync(join(tmpdir(), 'iommu-stress-imports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const tmp = (): string => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};

describe('importGraph', () => {
  it('follows static imports, re-exports, literal dynamic imports, absolute paths and file: URLs; not comments, strings, bare specifiers or computed imports', () => {
    const d = tmp();
    const abs = join(d, 'abs.mjs');
    writeFileSync(abs, 'export const x = 1;\n');
    writeFileSync(join(d, 'url.mjs'), 'export const u = 1;\n');
    mkdirSync(join(d, 'lib'));
    writeFileSync(join(d, 'lib', 'a.mjs'), "import { x } from '../abs.mjs';\nexport const a = x;\n");
    writeFileSync(join(d, 'b.mjs'), 'export const b = 2;\n');
    writeFileSync(join(d, 'c.mjs'), 'export default 3;\n');
    writeFileSync(
      join(d, 'root.mjs'),
      [
        "// import './commented.mjs';",
        "/* import x from './block.mjs' */",
        "const s = \"import './in-string.mjs'\";",
        "const t = `import('./in-template.mjs')`;",
        "import { a } from './lib/a.mjs';",
        "export { b } from './b.mjs';",
        "import 'node:fs';",
        "import { defineRace } from 'iommu-stress';",
        `import { x } from ${JSON.stringify(abs)};`,
        `import { u } from ${JSON.stringify(pathToFileURL(join(d, 'url.mjs')).href)};`,
        "const name = './computed.mjs';",
        'export const later = () => import(name);',
        "export const c = () => import('./c.mjs');",
        '',
      ].join('\n'),
    );
    const g = importGraph(join(d, 'root.mjs'));
    // Depth first, in the order the source names them, each once (abs.mjs first through lib/a.mjs).
    expect(g.map((f) => f.path.slice(d.length + 1))).toEqual(['root.mjs', 'lib/a.mjs', 'abs.mjs', 'b.mjs', 'url.mjs', 'c.mjs']);
    expect(g.every((f) => f.format === 'module' && /^[0-9a-f]{8}$/.test(f.hash))).toBe(true);
  });

  it('a cycle is walked once; a file that changes deep down changes the version, and is the first hash that differs', () => {
    const d = tmp();
    writeFileSync(join(d, 'a.mjs'), "import './b.mjs';\n");
    writeFileSync(join(d, 'b.mjs'), "import './a.mjs';\nimport './c.mjs';\n");
    writeFileSync(join(d, 'c.mjs'), 'export const c = 1;\n');
    const before = importGraph(join(d, 'a.mjs'));
    expect(before.map((f) => f.path.slice(d.length + 1))).toEqual(['a.mjs', 'b.mjs', 'c.mjs']);
    writeFileSync(join(d, 'c.mjs'), 'export const c = 22;\n');
    const after = importGraph(join(d, 'a.mjs'));
    expect(versionOf(after)).not.toBe(versionOf(before));
    expect(firstChanged(versionOf(before), after)?.path).toBe(join(d, 'c.mjs'));
    // A missing import is part of the graph too (it would fail to load).
    writeFileSync(join(d, 'c.mjs'), "import './gone.mjs';\n");
    expect(importGraph(join(d, 'a.mjs')).at(-1)).toMatchObject({ path: join(d, 'gone.mjs'), format: 'missing' });
  });

  it('reads a file again only when its mtime, size or inode change', () => {
    const d = tmp();
    const f = join(d, 'm.mjs');
    // A whole second as the mtime, so that it can be put back exactly.
    writeFileSync(f, 'export const v = 1;\n');
    utimesSync(f, 1_000_000, 1_000_000);
    const first = importGraph(f)[0]!.hash;
    // The same size and, put back, the same mtime: the cached reading stands (nothing was read).
    writeFileSync(f, 'export const v = 2;\n');
    utimesSync(f, 1_000_000, 1_000_000);
    expect(importGraph(f)[0]!.hash).toBe(first);
    writeFileSync(f, 'export const v = 33;\n');
    expect(importGraph(f)[0]!.hash).not.toBe(first);
  });

  it("the race part of a fingerprint is the module's content and what it imports, not where it lies", () => {
    const [x, y] = [tmp(), tmp()];
    for (const d of [x, y]) {
      writeFileSync(join(d, 'race.mjs'), "import { k } from './k.mjs';\nexport default { kind: 'race', k };\n");
      writeFileSync(join(d, 'k.mjs'), 'export const k = 1;\n');
    }
    const part = (d: string): string => racePart({ url: pathToFileURL(join(d, 'race.mjs')).href, exportName: null });
    expect(part(x)).toBe(part(y));
    writeFileSync(join(y, 'k.mjs'), 'export const k = 2;\n');
    expect(part(x)).not.toBe(part(y));
    // And a fingerprint's parts stay four groups of six hex digits.
    const spec = { url: pathToFileURL(join(x, 'race.mjs')).href, exportName: null };
    const fp = fingerprint({ config: {} as never, driver: { builtin: 'refcount' }, lock: { builtin: 'mcs' }, allocator: { builtin: 'bitmap' }, flush: { builtin: 'strict' }, race: { spec, variant: 'broken' } });
    expect(fp).toMatch(/^[0-9a-f]{6}(-[0-9a-f]{6}){3}$/);
  });
});
