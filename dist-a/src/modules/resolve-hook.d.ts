/**
 * A module resolve hook (node:module `register`), registered by the loader
 * before it imports a user's module: `import ... from 'iommu-stress'` in a
 * module that has no iommu-stress of its own to find (a design in a folder
 * of its own, run with the harness installed elsewhere) resolves to the
 * running harness, as if the module lived in its package. A module that
 * can find a copy of its own (installed in its folder or above) gets that
 * copy: the hook only answers where Node's own resolution failed.
 */
interface ResolveContext {
    parentURL?: string;
    conditions?: string[];
    importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{
    url: string;
    format?: string | null;
    shortCircuit?: boolean;
}>;
export declare function initialize(data: {
    self: string;
}): void;
export declare function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{
    url: string;
    format?: string | null;
    shortCircuit?: boolean;
}>;
export {};
