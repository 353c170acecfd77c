import type { Config, RaceDef } from '../api/types.js';
import type { Design, DesignSpec, PieceSpec, Variant } from '../engine/design.js';
import { type PieceKind } from './validate.js';
/** `./x.mjs#a.b` into its file and its property path. */
export declare function splitRef(ref: string): {
    file: string;
    exportPath: string | null;
};
/** The piece a spec names (workers and the main thread alike). */
export declare function fromSpec<T>(kind: PieceKind, spec: PieceSpec, where: string): Promise<T>;
/** A name or a path (relative to `base`) as a spec. */
export declare function specOf(kind: PieceKind, ref: string, base: string, where: string): PieceSpec;
export declare function loadPiece<T>(kind: PieceKind, ref: string, base: string, where: string): Promise<{
    def: T;
    spec: PieceSpec;
}>;
/** A race by built-in name or path: its definition, and how to load it again. */
export interface LoadedRace {
    readonly race: RaceDef;
    readonly spec: PieceSpec;
    /** The directory its relative references are resolved from (null: a built-in). */
    readonly dir: string | null;
    /** What the user named it by (a name, or the path as given). */
    readonly ref: string;
}
export declare function loadRace(ref: string, where?: string): Promise<LoadedRace>;
/** The config of a race run: its workload, its variant's options and pieces (as refs the loader can follow), then the caller's overrides. */
export declare function raceConfig(lr: LoadedRace, variant: Variant, over?: Partial<Config>): Partial<Config>;
/** Load and check every piece of a configuration (and its race), for the main thread: the design, and the spec workers load it from. */
export declare function resolveDesign(config: Config, race?: {
    loaded: LoadedRace;
    variant: Variant;
} | null): Promise<{
    design: Design;
    spec: DesignSpec;
}>;
/**
 * Why a configuration's design cannot run (a combination its pieces refuse,
 * such as a deferred flush with no IOTLB), or null when it can. A piece that
 * does not load or fit is still an error (UsageError): that is bad input,
 * not a combination to skip.
 */
export declare function designProblem(config: Config): Promise<string | null>;
/** The same design from its spec (workers; the main thread through resolveDesign). */
export declare function loadDesign(spec: DesignSpec): Promise<Design>;
/** Resolve a race run's configuration (workload, variant, overrides) and load its design. */
export declare function raceDesign(lr: LoadedRace, variant: Variant, over?: Partial<Config>): Promise<{
    design: Design;
    spec: DesignSpec;
}>;
