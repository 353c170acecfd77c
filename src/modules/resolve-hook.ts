/**
 * A module resolve hook (node:module `register`), registered by the loader
 * before it imports a user's module: `import ... from 'iommu-stress'` in a
 * module that has no iommu-stress of its own to find (a design in a folder
 * of its own, run with the harness installed elsewhere) resolves to the
 * running harness, as if the module lived in its package. A module that
 * can find a copy of its own (installed in its folder or above) gets that
 * copy: the hook only answers where Node's own resolution failed.
 *
 * It also versions a design's files. The loader imports a user's module
 * with its import graph's version in the query (`./race.mjs?v=<hashes>`,
 * modules/imports.ts); every file that module imports by a file specifier
 * gets the version of its own graph here, so a file that changed, and every
 * file importing it, has a new URL (Node loads it afresh), and a file that did
 * not keeps its URL (and its one instance). Workers compute the same URLs from
 * the same files, so the main thread and the workers run the same code.
 */
import { fileURLToPath } from 'node:url';
import { importGraph, isFileSpecifier, versionOf, versionParam } from './imports.js';

interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null; shortCircuit?: boolean }>;

/** A file inside the running harness's package: self-references resolve from there. */
let self = '';

export function initialize(data: { self: string }): void {
  self = data.self;
}

async function resolveSelf(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    const ours = specifier === 'iommu-stress' || specifier.startsWith('iommu-stress/');
    if (!ours || self === '' || (e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return nextResolve(specifier, { ...context, parentURL: self });
  }
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  const r = await resolveSelf(specifier, context, nextResolve);
  // Only a versioned module's file imports; a URL already versioned (a hook registered twice) is left alone.
  const versioned = context.parentURL !== undefined && versionParam(context.parentURL) !== null;
  if (!versioned || !isFileSpecifier(specifier) || !r.url.startsWith('file:') || versionParam(r.url) !== null) return r;
  const url = new URL(r.url);
  url.searchParams.set('v', versionOf(importGraph(fileURLToPath(url))));
  return { ...r, url: url.href };
}
