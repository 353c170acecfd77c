import type { Config, Inject } from '../api/types.js';
export type { Config, Inject } from '../api/types.js';
export declare const COMPLETIONS: readonly ["random", "fifo"];
export declare const MODES: readonly ["iommu", "pv-hypercall", "pv-bounce"];
/** The domain a live switch installs: one sharing the default domain's table (correct), or an empty one (BROKEN: drops live mappings). */
export declare const SWITCH_TARGETS: readonly ["shared-table", "empty"];
export declare const ON_OFF: readonly ["on", "off"];
export declare const INJECT_KINDS: readonly ["throw", "hold-forever"];
interface FieldBase {
    key: keyof Config;
    flag: string;
    arg: string;
    help: string;
}
interface NumberField extends FieldBase {
    kind: 'int' | 'number';
    min: number;
    max: number;
    /** Must be a power of two. */
    pow2?: boolean;
}
interface EnumField extends FieldBase {
    kind: 'enum';
    /** Every accepted value; `all` in a sweep means these minus the broken ones. */
    values: readonly string[];
    /** Deliberately broken values (race scenarios), accepted and named as such. */
    broken?: readonly string[];
}
/** A piece of the design: a built-in's name, or a path to a user module. */
interface PieceField extends FieldBase {
    kind: 'piece';
    values: readonly string[];
    broken: readonly string[];
}
export type Field = NumberField | EnumField | PieceField;
/** The values `all` stands for: the correct ones. */
export declare const correctValues: (f: EnumField | PieceField) => readonly string[];
/** Does a piece value name a module by path rather than a built-in? */
export declare const isModulePath: (v: string) => boolean;
export declare const FIELDS: readonly Field[];
/**
 * The two options the driver replaced, kept as aliases so that existing
 * commands, scenarios, config files and saved results still run: a table
 * style and a lock scope name one driver (`aliasDriver`).
 */
export declare const TABLE_STYLES: readonly ["refcount", "cmpxchg", "plain-install", "cmpxchg-free"];
export declare const LOCK_SCOPES: readonly ["domain", "device", "none"];
export interface AliasField {
    key: 'tableStyle' | 'lockScope';
    flag: string;
    arg: string;
    values: readonly string[];
    help: string;
}
export declare const ALIASES: readonly AliasField[];
/** The driver a --table-style / --lock-scope pair names (either may be absent). */
export declare function aliasDriver(style: string | undefined, scope: string | undefined, where?: string): string;
export declare const DEFAULTS: Config;
export declare function fieldByKey(key: keyof Config): Field;
export declare function allowedText(f: Field): string;
/** Where a value came from, for messages: a flag, or a key of a config file. */
export type Origin = {
    flag: true;
} | {
    file: string;
};
/** Check one value against its field; returns it typed. `shown` is how the value reads in a message (the user's own text). */
export declare function checkField(f: Field, value: unknown, o?: Origin, shown?: string): string | number;
/** Parse a flag's text into its value; the message quotes the text as given. */
export declare function parseFlag(f: Field, text: string): string | number;
export declare function parseInject(text: string, where?: string): Inject;
/** Larger than any real configuration: a config file beyond it is refused before it is read. */
export declare const CONFIG_FILE_MAX_BYTES: number;
/**
 * Read a configuration file: a JSON object with Config keys (a result's
 * `config`, as `--json` writes it, is one; a whole result is read as its
 * `config`). Messages name the file and the
 * key. The old keys `tableStyle` and `lockScope` are read as aliases.
 */
export declare function readConfigFile(path: string): Partial<Config>;
/** A config object (a file's, a result's `config`), checked key by key; `source` names it in messages. */
export declare function configFromObject(json: unknown, source: string): Partial<Config>;
/** The driver a configuration names, also for configs from before version 2 (a table style and a lock scope). */
export declare function driverOfConfig(c: Partial<Config> & {
    tableStyle?: string;
    lockScope?: string;
}): string;
/** Fill defaults and check the combination. Every field is checked again. The old keys tableStyle and lockScope are read as the driver they name. */
export declare function resolveConfig(partial: Partial<Config>): Config;
/**
 * Options that mean nothing in a configuration: said as warnings (a run
 * does what it says it does), e.g. a flush policy with --mode pv-bounce.
 * Only options the user set (present in `given`) are named.
 */
export declare function ignoredOptions(c: Config, given: Partial<Record<keyof Config, unknown>>): string[];
