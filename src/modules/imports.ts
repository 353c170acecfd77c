/**
 * The import graph of a user's module: the module and every file it
 * imports, transitively, up to the package boundary. Followed: the file
 * specifiers (`./x.mjs`, `../y.js`, `/abs/z.mjs`, `file:` URLs) of static
 * `import` and `export ... from` and of `import('literal')`, resolved as
 * Node resolves them for ES modules (the exact path: no extension guessed, no
 * index file). Not followed: bare specifiers (packages, `node:` builtins,
 * `iommu-stress` itself), computed `import(x)`, CommonJS `require`.
 *
 * The specifiers come from es-module-lexer, so an import in a comment, a
 * string or a template is not one. Each file is read once a process while
 * its (mtime, size, inode) stay the same, so a replay loop stats files and
 * reads nothing (a change within one tick of the file system's clock that
 * keeps the size is not seen, as with make).
 *
 * The graph is a list in depth-first order, the root first, each file once.
 * Its content hashes in that order are the graph's version: the content of
 * the files visited before a file decides which file comes next, so two
 * graphs with the same version are the same code wherever they lie, and the
 * first hash where two versions differ names the file that changed.
 *
 * Used by the loader (a module's version, in its URL), the resolve hook
 * (the same version for each file it imports, in the hooks thread) and the
 * fingerprint (what a schedule was recorded against).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initSync, parse } from 'es-module-lexer';

/** How Node loads a file, as far as reloading it goes. */
export type Format = 'module' | 'commonjs' | 'json' | 'other' | 'missing';

export interface GraphFile {
  readonly path: string;
  /** The first 8 hex digits of the SHA-256 of its content ('missing': absent or unreadable). */
  readonly hash: string;
  readonly format: Format;
}

interface Scanned extends GraphFile {
  /** What identifies this reading of the file: mtime, size, inode. */
  readonly stamp: string;
  /** The files it imports, in the order its source names them. */
  readonly deps: readonly string[];
}

const scanned = new Map<string, Scanned>();

const MISSING = 'missing';

function stampOf(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return st.isFile() ? `${st.mtimeNs}:${st.size}:${st.ino}` : null;
  } catch {
    return null;
  }
}

/** Is a specifier a file Node would find by itself (relative, absolute, a file: URL), not a package? */
export const isFileSpecifier = (s: string): boolean => /^\.{1,2}(\/|$)|^\/|^file:/.test(s);

/** The file a file specifier names, from the file `parent`; null for anything else. */
function fileOf(specifier: string, parent: string): string | null {
  if (!isFileSpecifier(specifier)) return null;
  try {
    const url = new URL(specifier, pathToFileURL(parent));
    return url.protocol === 'file:' ? fileURLToPath(url) : null;
  } catch {
    return null;
  }
}

let lexerReady = false;

/** The specifiers of a module's static imports, re-exports and literal dynamic imports, in order. */
function specifiersOf(source: string): { specifiers: string[]; moduleSyntax: boolean } {
  if (!lexerReady) {
    initSync();
    lexerReady = true;
  }
  try {
    const [imports, , , moduleSyntax] = parse(source);
    // import.meta (d -2) has no specifier, a computed import() none either (n undefined).
    const specifiers = imports.filter((i) => i.d !== -2 && typeof i.n === 'string').map((i) => i.n!);
    return { specifiers, moduleSyntax };
  } catch {
    // Not lexable: Node will refuse it with a syntax error of its own; it imports nothing we could follow.
    return { specifiers: [], moduleSyntax: true };
  }
}

const packageTypes = new Map<string, string | null>();

/** The "type" of the nearest package.json at or above `dir` (null: it has none, or there is none). */
function packageType(dir: string): string | null {
  const hit = packageTypes.get(dir);
  if (hit !== undefined) return hit;
  let type: string | null = null;
  try {
    const t = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown }).type;
    type = typeof t === 'string' ? t : null;
  } catch (e) {
    const up = dirname(dir);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && up !== dir) type = packageType(up);
  }
  packageTypes.set(dir, type);
  return type;
}

/** Node's choice for a file: by extension, then the package's "type", then (a .js of no type) whether its syntax is a module's. */
function formatOf(path: string, moduleSyntax: () => boolean): Format {
  const ext = extname(path);
  if (ext === '.mjs') return 'module';
  if (ext === '.cjs') return 'commonjs';
  if (ext === '.json') return 'json';
  if (ext !== '.js') return 'other';
  const type = packageType(dirname(path));
  if (type === 'module') return 'module';
  if (type === 'commonjs') return 'commonjs';
  return moduleSyntax() ? 'module' : 'commonjs';
}

/** One file: from the cache while its stamp holds, else read, hashed and lexed again. */
function scan(path: string): Scanned {
  const stamp = stampOf(path);
  if (stamp === null) return { path, hash: MISSING, format: 'missing', stamp: MISSING, deps: [] };
  const hit = scanned.get(path);
  if (hit && hit.stamp === stamp) return hit;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return { path, hash: MISSING, format: 'missing', stamp: MISSING, deps: [] };
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  const source = bytes.toString('utf8');
  let lexed: ReturnType<typeof specifiersOf> | null = null;
  const lex = (): ReturnType<typeof specifiersOf> => (lexed ??= specifiersOf(source));
  const format = formatOf(path, () => lex().moduleSyntax);
  const deps = format === 'module' ? [...new Set(lex().specifiers.map((s) => fileOf(s, path)).filter((f): f is string => f !== null))] : [];
  const s: Scanned = { path, hash, format, stamp, deps };
  scanned.set(path, s);
  return s;
}

/** Graphs computed in this thread, by root and version (for naming the files of a version seen before). */
const known = new Map<string, readonly GraphFile[]>();
const KNOWN_MAX = 256;

/** The module at `root` and every file it imports, transitively, depth first, each once. */
export function importGraph(root: string): readonly GraphFile[] {
  const files: GraphFile[] = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const s = scan(path);
    files.push({ path: s.path, hash: s.hash, format: s.format });
    for (const d of s.deps) visit(d);
  };
  visit(root);
  const key = `${root}?${versionOf(files)}`;
  if (!known.has(key)) {
    if (known.size >= KNOWN_MAX) known.delete(known.keys().next().value!);
    known.set(key, files);
  }
  return files;
}

/** A graph's version: its files' hashes in order. */
export const versionOf = (files: readonly GraphFile[]): string => files.map((f) => f.hash).join('.');

/** The files of a version of `root` this thread computed, or null. */
export function knownGraph(root: string, version: string): readonly GraphFile[] | null {
  return known.get(`${root}?${version}`) ?? null;
}

/** The first file of `now` whose content is not the one `version` recorded (null: none differs). */
export function firstChanged(version: string, now: readonly GraphFile[]): GraphFile | null {
  const then = version.split('.');
  for (let i = 0; i < now.length; i++) if (then[i] !== now[i]!.hash) return now[i]!;
  return null;
}

/** The version carried in a module URL's query (`?v=`), or null. */
export function versionParam(url: string): string | null {
  try {
    return new URL(url).searchParams.get('v');
  } catch {
    return null;
  }
}

/** A file's URL with its graph's version in the query (as the resolve hook gives the files it imports). */
export function versionedUrl(path: string, version: string): string {
  const url = pathToFileURL(path);
  url.searchParams.set('v', version);
  return url.href;
}

/** `path` as a module path from `dir`: `./x.mjs`, `../lib/x.mjs` (absolute where no relative path leads there, another drive). */
export function modulePathFrom(dir: string, path: string): string {
  const rel = relative(dir, path);
  if (isAbsolute(rel)) return rel;
  return rel === '..' || rel.startsWith(`..${sep}`) ? rel : `.${sep}${rel}`;
}

/** A path as messages show it: from the cwd when under it (`./examples/x.mjs`), else absolute. */
export function shownPath(path: string): string {
  const rel = modulePathFrom(process.cwd(), path);
  return rel.startsWith(`.${sep}`) ? rel : path;
}
