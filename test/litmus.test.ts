/**
 * herd7 C litmus tests (src/litmus/): the Linux kernel's LKMM suite
 * (test/litmus/kernel/, copied unchanged), hand-written tests
 * (test/litmus/*.litmus), the parser's errors and refusals.
 *
 * The soundness checks rest on one fact: SC and x86-TSO are each at least
 * as strong as LKMM. LKMM allows every sequentially consistent execution;
 * and LKMM is meant to allow whatever any architecture the kernel runs on
 * does, x86 included, under the kernel's own mapping of its primitives to
 * instructions, which is the mapping models/tso.ts models (mfence for
 * smp_mb, a lock-prefixed instruction for every RMW and lock acquisition,
 * plain moves for everything else). So every execution sc or tso finds is
 * one LKMM allows: where the kernel's file says herd finds Never, sc and
 * tso must find Never too. Store-to-load reordering, the one thing TSO
 * adds to SC, LKMM allows as well (without smp_mb). The mutant models at
 * the end show the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../src/litmus/compile.js';
import {
  type Access,
  agreesWithWeaker,
  formatResult,
  INIT_WRITE,
  type LitmusTest,
  LitmusSyntaxError,
  LitmusUnsupported,
  type MemoryModel,
  MODEL_NAMES,
  type ModelName,
  parseLitmus,
  runLitmus,
  runModel,
  sc,
  type ScState,
  tso,
  type TsoState,
  weak,
  type WeakState,
} from '../src/litmus/index.js';

const KERNEL_DIR = new URL('./litmus/kernel/', import.meta.url);
const HAND_DIR = new URL('./litmus/', import.meta.url);
const litmusFiles = (dir: URL): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.litmus'))
    .sort();
const read = (dir: URL, file: string): string => readFileSync(new URL(file, dir), 'utf8');

/** The kernel's suite as copied: 34 files of Linux v5.17 and dep+plain (see test/litmus/kernel/README.md). */
const KERNEL_FILES = 35;
/** The kernel files refused, and the family of construct each is refused for. */
const REFUSED: Record<string, 'rcu' | 'srcu'> = { 'MP+onceassign+derefonce': 'rcu' };
/** Kernel tests TSO allows: store buffering and store-to-load forwarding. Every other kernel test is Never under TSO, and all are under SC. */
const TSO_SOMETIMES = ['R+poonceonces', 'SB+poonceonces', 'SB+rfionceonce-poonceonces'];
/**
 * The accepted kernel tests whose stated result (herd, LKMM) weak gives
 * exactly: all 34. A test left out of this list would be one where weak
 * misses a behaviour LKMM allows (weak Never, stated Sometimes); weak
 * allowing what LKMM forbids is never acceptable.
 */
const WEAK_AGREES = [
  'CoRR+poonceonce+Once',
  'CoRW+poonceonce+Once',
  'CoWR+poonceonce+Once',
  'CoWW+poonceonce',
  'IRIW+fencembonceonces+OnceOnce',
  'IRIW+poonceonces+OnceOnce',
  'ISA2+pooncelock+pooncelock+pombonce',
  'ISA2+poonceonces',
  'ISA2+pooncerelease+poacquirerelease+poacquireonce',
  'LB+fencembonceonce+ctrlonceonce',
  'LB+poacquireonce+pooncerelease',
  'LB+poonceonces',
  'LB+unlocklockonceonce+poacquireonce',
  'MP+fencewmbonceonce+fencermbonceonce',
  'MP+polockmbonce+poacquiresilsil',
  'MP+polockonce+poacquiresilsil',
  'MP+polocks',
  'MP+poonceonces',
  'MP+pooncerelease+poacquireonce',
  'MP+porevlocks',
  'MP+unlocklockonceonce+fencermbonceonce',
  'R+fencembonceonces',
  'R+poonceonces',
  'S+fencewmbonceonce+poacquireonce',
  'S+poonceonces',
  'SB+fencembonceonces',
  'SB+poonceonces',
  'SB+rfionceonce-poonceonces',
  'WRC+poonceonces+Once',
  'WRC+pooncerelease+fencermbonceonce+Once',
  'Z6.0+pooncelock+poonceLock+pombonce',
  'Z6.0+pooncelock+pooncelock+pombonce',
  'Z6.0+pooncerelease+poacquirerelease+fencembonceonce',
  'dep+plain',
];
/** Each kernel test, under each model, explores in well under this. */
const PER_TEST_MS = 1000;

interface Loaded {
  readonly file: string;
  readonly test?: LitmusTest;
  readonly refused?: LitmusUnsupported;
}

const kernel: Loaded[] = litmusFiles(KERNEL_DIR).map((file) => {
  try {
    return { file, test: parseLitmus(read(KERNEL_DIR, file), file) };
  } catch (e) {
    if (e instanceof LitmusUnsupported) return { file, refused: e };
    throw e;
  }
});
const accepted = kernel.flatMap((k) => (k.test ? [k.test] : []));

/** The accepted kernel tests whose stated result `model` contradicts. */
function contradictions<S>(model: MemoryModel<S>): string[] {
  return accepted.filter((t) => !agreesWithWeaker(t.expected!, runLitmus(t, model))).map((t) => t.name);
}

describe('the kernel suite: parsed or refused', () => {
  it(`${KERNEL_FILES} files, each stating herd's result under LKMM; each parses or is refused naming an RCU/SRCU construct`, () => {
    expect(kernel).toHaveLength(KERNEL_FILES);
    for (const k of kernel) expect(read(KERNEL_DIR, k.file), k.file).toMatch(/Result: (Never|Sometimes|Always)/);
    const refused = kernel.filter((k) => k.refused);
    expect(refused.map((k) => k.file.replace(/\.litmus$/, ''))).toEqual(Object.keys(REFUSED));
    expect(accepted).toHaveLength(KERNEL_FILES - Object.keys(REFUSED).length);
    for (const k of refused) {
      const family = REFUSED[k.file.replace(/\.litmus$/, '')]!;
      const named = k.refused!.constructs.filter((c) => c.family === family).map((c) => c.construct);
      expect(named, k.refused!.message).toEqual(expect.arrayContaining(['rcu_assign_pointer', 'rcu_read_lock', 'rcu_dereference', 'rcu_read_unlock']));
      // Nothing refused for being unknown: every construct is named for what it is.
      expect(k.refused!.constructs.every((c) => c.family === 'rcu' || c.family === 'pointer')).toBe(true);
    }
    for (const t of accepted) expect(t.expected, t.name).toBeDefined();
    // The name line, not the file name, names the test (they agree in the kernel's suite).
    for (const k of kernel) if (k.test) expect(`${k.test.name}.litmus`).toBe(k.file);
  });
});

describe.each(MODEL_NAMES)('the kernel suite under %s', (model: ModelName) => {
  it.each(accepted.map((t) => [t.name, t] as const))(`%s: stated result kept (a ${model} Never wherever LKMM says Never), in under ${PER_TEST_MS} ms`, (_name, t) => {
    const t0 = performance.now();
    const r = runModel(t, model);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(PER_TEST_MS);
    expect(r.deadlocks).toBe(0);
    expect(r.positive + r.negative).toBeGreaterThan(0);
    expect(agreesWithWeaker(t.expected!, r), `${t.name}: LKMM ${t.expected}, ${model} ${r.result}\n${formatResult(r)}`).toBe(true);
    if (t.expected === 'Never') expect(r.result).toBe('Never');
  });

  it('gives exactly the results found when the suite was first run (sc: all Never; tso: Sometimes for store buffering only; weak: the stated ones)', () => {
    const sometimes = accepted.filter((t) => runModel(t, model).result !== 'Never').map((t) => t.name);
    const statedSometimes = accepted.filter((t) => t.expected === 'Sometimes').map((t) => t.name);
    expect(sometimes).toEqual(model === 'tso' ? TSO_SOMETIMES : model === 'weak' ? statedSometimes : []);
  });
});

describe('the kernel suite under weak: the results LKMM gives', () => {
  const runs = accepted.map((t) => {
    const t0 = performance.now();
    const r = runModel(t, 'weak');
    return { t, r, ms: performance.now() - t0 };
  });

  it('the agreeing list names accepted tests only, each once', () => {
    const names = accepted.map((t) => t.name);
    for (const n of WEAK_AGREES) expect(names, n).toContain(n);
    expect(new Set(WEAK_AGREES).size).toBe(WEAK_AGREES.length);
  });

  it.each(runs.map((x) => [x.t.name, x] as const))('%s: the stated result if listed; never Sometimes/Always where LKMM says Never; under 1 s', (_name, { t, r, ms }) => {
    expect(ms).toBeLessThan(PER_TEST_MS);
    expect(r.deadlocks).toBe(0);
    if (WEAK_AGREES.includes(t.name)) expect(r.result, `${t.name}\n${formatResult(r)}`).toBe(t.expected);
    else expect([t.expected, r.result], `${t.name}: a missing behaviour only`).toEqual(['Sometimes', 'Never']);
    expect(agreesWithWeaker(t.expected!, r)).toBe(true);
  });

  it('a store runs early only without a dependency on a read not yet run: LB+datas Never, LB+data+po Sometimes (as LKMM)', () => {
    const lb = (p1Store: string) =>
      `C t\n{}\nP0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, r0 + 1); }\nP1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); WRITE_ONCE(*x, ${p1Store}); }\nexists (0:r0=1 /\\ 1:r1=2)\n`;
    expect(runModel(parseLitmus(lb('r1 - 1')), 'weak').result).toBe('Never');
    expect(runModel(parseLitmus(lb('1')), 'weak').result).toBe('Sometimes');
    expect(runModel(parseLitmus(lb('1')), 'tso').result).toBe('Never');
  });

  it('the hand-written tests under weak: relaxed MP and SB+rmws are allowed, as LKMM allows them; weak allows all tso does', () => {
    const got = Object.fromEntries(
      litmusFiles(HAND_DIR).map((f) => {
        const t = parseLitmus(read(HAND_DIR, f), f);
        const w = runModel(t, 'weak');
        for (const st of runModel(t, 'tso').states) expect(w.states, `${f}: ${st}`).toContain(st);
        return [f.replace(/\.litmus$/, ''), w.result];
      }),
    );
    expect(got).toMatchObject({ MP: 'Sometimes', 'SB+rmws': 'Sometimes', 'SB+mbs': 'Never', SB: 'Sometimes', 'Lock-update': 'Never', Trylock: 'Never' });
  });

  it.each(runs.map((x) => [x.t.name, x] as const))('%s: weak allows every final state tso allows', (_name, { t, r }) => {
    const fromTso = runModel(t, 'tso');
    for (const st of fromTso.states) expect(r.states, st).toContain(st);
    expect(r.positive + r.negative).toBeGreaterThanOrEqual(fromTso.positive + fromTso.negative);
  });
});

describe('herd-style output', () => {
  it('SB+fencembonceonces under sc prints what herd7 prints under LKMM (less Time and Hash)', () => {
    const t = accepted.find((x) => x.name === 'SB+fencembonceonces')!;
    expect(formatResult(runModel(t, 'sc'))).toBe(
      [
        'Test SB+fencembonceonces Allowed',
        'States 3',
        '0:r0=0; 1:r0=1;',
        '0:r0=1; 1:r0=0;',
        '0:r0=1; 1:r0=1;',
        'No',
        'Witnesses',
        'Positive: 0 Negative: 3',
        'Condition exists (0:r0=0 /\\ 1:r0=0)',
        'Observation SB+fencembonceonces Never 0 3',
        '',
      ].join('\n'),
    );
  });

  it('shared locations print as herd 7.56 prints them, [y], and order after registers', () => {
    const t = accepted.find((x) => x.name === 'R+fencembonceonces')!;
    const r = runModel(t, 'tso');
    expect(r.states).toEqual(['1:r0=0; [y]=1;', '1:r0=1; [y]=1;', '1:r0=1; [y]=2;']);
    expect(r.condition).toBe('exists ([y]=2 /\\ 1:r0=0)');
  });

  it('locations [...] adds to the shown locations; the compact result carries the stated result', () => {
    const t = accepted.find((x) => x.name === 'SB+rfionceonce-poonceonces')!;
    const r = runModel(t, 'tso');
    expect(r).toMatchObject({ name: t.name, result: 'Sometimes', positive: 1, negative: 3, expected: 'Sometimes', kind: 'Allowed', ok: true });
    expect(r.states[0]).toBe('0:r1=1; 0:r2=0; 1:r3=1; 1:r4=0; [x]=1; [y]=1;');
  });

  it('~exists is Forbidden: Ok when nothing satisfies it, the Witnesses counts swapped, the Observation about the proposition', () => {
    const r = runModel(parseLitmus(read(HAND_DIR, 'Lock-update.litmus'), 'Lock-update.litmus'), 'tso');
    expect(formatResult(r)).toBe(
      [
        'Test Lock-update Forbidden',
        'States 1',
        '[x]=2;',
        'Ok',
        'Witnesses',
        'Positive: 2 Negative: 0',
        'Condition ~exists ([x]=1)',
        'Observation Lock-update Never 0 2',
        '',
      ].join('\n'),
    );
  });
});

/** Hand-written tests: file, then the result under sc and under tso. */
const HAND: readonly (readonly [string, string, string])[] = [
  ['SB', 'Never', 'Sometimes'],
  ['SB+mbs', 'Never', 'Never'],
  ['SB+rmws', 'Never', 'Never'],
  ['MP', 'Never', 'Never'],
  ['Lost-update', 'Sometimes', 'Sometimes'],
  ['Lock-update', 'Never', 'Never'],
  ['Trylock', 'Never', 'Never'],
  ['Cmpxchg+filter', 'Always', 'Always'],
  ['Atomics', 'Always', 'Always'],
  ['Local', 'Always', 'Always'],
];

describe('deadlocks', () => {
  it('a run that deadlocks has no final state; formatResult flags it', () => {
    const src = 'C t\n{}\nP0(spinlock_t *s, int *x) { spin_lock(s); WRITE_ONCE(*x, 1); }\nP1(spinlock_t *s, int *x) { spin_lock(s); WRITE_ONCE(*x, 2); }\nexists (x=1)\n';
    for (const m of MODEL_NAMES) {
      const r = runModel(parseLitmus(src), m);
      expect([r.result, r.positive, r.negative, r.states]).toEqual(['Never', 0, 0, []]);
      expect(r.deadlocks).toBeGreaterThan(0);
      expect(formatResult(r)).toContain('\nFlag deadlock\nCondition exists ([x]=1)\n');
    }
  });
});

describe('hand-written tests', () => {
  it('every file in test/litmus/ is in the table', () => {
    expect(litmusFiles(HAND_DIR)).toEqual(HAND.map(([f]) => `${f}.litmus`).sort());
  });

  it.each(HAND)('%s: sc %s, tso %s', (file, scResult, tsoResult) => {
    const t = parseLitmus(read(HAND_DIR, `${file}.litmus`), `${file}.litmus`);
    expect(runModel(t, 'sc').result).toBe(scResult);
    expect(runModel(t, 'tso').result).toBe(tsoResult);
  });

  it('SB under tso: the fourth state is the store-buffering one, one execution of four', () => {
    const r = runModel(parseLitmus(read(HAND_DIR, 'SB.litmus')), 'tso');
    expect(r.states).toEqual(['0:r0=0; 1:r0=0;', '0:r0=0; 1:r0=1;', '0:r0=1; 1:r0=0;', '0:r0=1; 1:r0=1;']);
    expect([r.positive, r.negative, r.ok]).toEqual([1, 3, true]);
  });

  it('filter drops executions altogether: Cmpxchg+filter keeps only the one where P0 won', () => {
    const r = runModel(parseLitmus(read(HAND_DIR, 'Cmpxchg+filter.litmus')), 'sc');
    expect([r.positive, r.negative, r.states]).toEqual([1, 0, ['1:r0=1; [x]=1;']]);
  });

  it('forall is Required; locations shows a register the condition does not name', () => {
    const r = runModel(parseLitmus(read(HAND_DIR, 'Atomics.litmus')), 'tso');
    expect(r.kind).toBe('Required');
    expect(r.states).toEqual(['0:r0=7; 1:r1=6; [x]=7;', '0:r0=7; 1:r1=8; [x]=7;', '0:r0=8; 1:r1=8; [x]=7;']);
  });
});

describe('the checks can fail: broken models are caught', () => {
  /** TSO whose smp_mb does not wait for the store buffer to drain. */
  const mbDoesNotDrain: MemoryModel<TsoState> = { ...tso, name: 'tso-mb-no-drain', step: (s, p, a) => (a.kind === 'fence' ? [{ state: s }] : tso.step(s, p, a)) };
  /** TSO whose loads never see the process's own buffered stores. */
  const noForwarding: MemoryModel<TsoState> = {
    ...tso,
    name: 'tso-no-forwarding',
    step: (s, p, a) => (a.kind === 'load' ? [{ state: s, read: { value: s.memory[a.loc]!, from: s.co[a.loc]!.at(-1) ?? INIT_WRITE } }] : tso.step(s, p, a)),
  };
  /** TSO whose read-modify-writes go ahead with stores still buffered. */
  const rmwDoesNotDrain: MemoryModel<TsoState> = {
    ...tso,
    name: 'tso-rmw-no-drain',
    step: (s, p, a) => {
      if (a.kind !== 'rmw') return tso.step(s, p, a);
      const old = s.memory[a.loc]!;
      const next = a.update(old);
      const memory = s.memory.slice();
      const co = s.co.slice();
      if (next !== null) {
        memory[a.loc] = next;
        co[a.loc] = [...s.co[a.loc]!, a.id];
      }
      return [{ state: { ...s, memory, co }, read: { value: old, from: s.co[a.loc]!.at(-1) ?? INIT_WRITE } }];
    },
  };

  it('the real models contradict no stated result', () => {
    expect(contradictions(sc)).toEqual([]);
    expect(contradictions(tso)).toEqual([]);
    expect(contradictions(weak)).toEqual([]);
  });

  /** The accepted kernel tests where `model`'s result is not the stated one (either direction). */
  const disagreements = <S,>(model: MemoryModel<S>): string[] => accepted.filter((t) => runLitmus(t, model).result !== t.expected).map((t) => t.name);
  /** weak whose smp_mb orders nothing. */
  const weakMbNoOp: MemoryModel<WeakState> = { ...weak, name: 'weak-mb-no-op', step: (s, p, a) => (a.kind === 'fence' && a.fence === 'mb' ? [{ state: s }] : weak.step(s, p, a)) };
  /** weak whose processes run their stores in program order only. */
  const weakInOrder: MemoryModel<WeakState> = { ...weak, name: 'weak-in-order', reordersWrites: false };
  /** weak whose smp_rmb orders nothing. */
  const weakRmbNoOp: MemoryModel<WeakState> = { ...weak, name: 'weak-rmb-no-op', step: (s, p, a) => (a.kind === 'fence' && a.fence === 'rmb' ? [{ state: s }] : weak.step(s, p, a)) };
  /** weak whose acquire loads are relaxed. */
  const weakNoAcquire: MemoryModel<WeakState> = {
    ...weak,
    name: 'weak-no-acquire',
    step: (s, p, a) => weak.step(s, p, a.kind === 'load' && a.order === 'acquire' ? { ...a, order: 'once' } : a),
  };

  it('a weak whose smp_mb orders nothing lets SB, R and IRIW with smp_mb through', () => {
    expect(contradictions(weakMbNoOp)).toEqual(expect.arrayContaining(['SB+fencembonceonces', 'R+fencembonceonces', 'IRIW+fencembonceonces+OnceOnce']));
  });

  it('a weak whose smp_rmb or acquire orders nothing lets message passing through', () => {
    expect(contradictions(weakRmbNoOp)).toContain('MP+fencewmbonceonce+fencermbonceonce');
    expect(contradictions(weakNoAcquire)).toContain('MP+pooncerelease+poacquireonce');
  });

  it('a weak that never runs a store early misses load buffering: LB+poonceonces is not in its agreeing list', () => {
    expect(contradictions(weakInOrder)).toEqual([]);
    expect(disagreements(weakInOrder)).toEqual(['LB+poonceonces']);
    expect(WEAK_AGREES).toContain('LB+poonceonces');
  });

  it('a TSO whose smp_mb does not drain the buffer breaks the kernel tests that rely on smp_mb against store buffering', () => {
    expect(contradictions(mbDoesNotDrain)).toEqual(expect.arrayContaining(['SB+fencembonceonces', 'R+fencembonceonces']));
  });

  it('a TSO without store-to-load forwarding breaks write-read coherence', () => {
    expect(contradictions(noForwarding)).toContain('CoWR+poonceonce+Once');
  });

  it('a TSO whose RMWs do not drain the buffer lets SB+rmws through', () => {
    const t = parseLitmus(read(HAND_DIR, 'SB+rmws.litmus'));
    expect(runLitmus(t, rmwDoesNotDrain).result).toBe('Sometimes');
  });

  it('SC in place of TSO fails the hand-written SB expectation', () => {
    const t = parseLitmus(read(HAND_DIR, 'SB.litmus'));
    expect(runLitmus(t, sc).result).not.toBe(HAND.find(([f]) => f === 'SB')![2]);
  });
});

/** The error a parse throws (the test fails if it does not throw). */
function parseError(src: string): unknown {
  try {
    parseLitmus(src, 'bad.litmus');
  } catch (e) {
    return e;
  }
  throw new Error('parsed without error');
}

const ONE_PROCESS = (body: string, params = 'int *x', cond = 'exists (x=1)') => `C t\n{}\nP0(${params})\n{\n${body}\n}\n${cond}\n`;

describe('parser', () => {
  it('a syntax error gives file, line and column', () => {
    const e = parseError(ONE_PROCESS('\tWRITE_ONCE(*x 1);'));
    expect(e).toBeInstanceOf(LitmusSyntaxError);
    expect(e).toMatchObject({ file: 'bad.litmus', line: 5, column: 16 });
    expect((e as Error).message).toBe("bad.litmus:5:16: expected ',', found '1'");
  });

  it.each([
    ['an undeclared register', ONE_PROCESS('\tint r0;\n\tr0 = READ_ONCE(*x) + r9;'), 6, 23, /r9 is not declared in P0/],
    ['a location that is not a parameter', ONE_PROCESS('\tWRITE_ONCE(*y, 1);'), 5, 14, /y is not a parameter of P0/],
    ['processes out of order', 'C t\n{}\nP1(int *x) { }\nexists (x=1)\n', 3, 1, /expected P0, found P1/],
    ['a condition naming no register', ONE_PROCESS('\tint r0;\n\tr0 = READ_ONCE(*x);', 'int *x', 'exists (0:r1=1)'), 8, 9, /r1 is not a register of P0/],
    ['an unterminated comment', 'C t\n(* open\n{}\n', 2, 1, /unterminated \(\* comment/],
    ['junk after the condition', ONE_PROCESS('\tWRITE_ONCE(*x, 1);', 'int *x', 'exists (x=1) x'), 7, 14, /after the condition/],
  ])('%s', (_what, src, line, column, message) => {
    const e = parseError(src);
    expect(e).toBeInstanceOf(LitmusSyntaxError);
    expect(e).toMatchObject({ line, column });
    expect((e as Error).message).toMatch(message);
  });

  it.each([
    ['rcu_read_lock', ONE_PROCESS('\trcu_read_lock();\n\tWRITE_ONCE(*x, 1);\n\trcu_read_unlock();'), ['rcu_read_lock', 'rcu', 5], ['rcu_read_unlock', 'rcu', 7]],
    ['synchronize_rcu', ONE_PROCESS('\tsynchronize_rcu();'), ['synchronize_rcu', 'rcu', 5]],
    ['srcu', ONE_PROCESS('\tint r0;\n\tr0 = srcu_read_lock(s);', 'int *x, struct srcu_struct *s'), ['struct srcu_struct', 'srcu', 3], ['srcu_read_lock', 'srcu', 6]],
    ['a while loop', ONE_PROCESS('\twhile (READ_ONCE(*x) == 0) { }'), ['while', 'loop', 5]],
    ['an unknown function', ONE_PROCESS('\tfrobnicate(x);'), ['frobnicate', 'unknown', 5]],
    ['a pointer initial value', 'C t\n{ int *y=&z; }\nP0(int *y) { }\nexists (y=1)\n', ['pointer int *', 'pointer', 2], ['pointer initial value &z', 'pointer', 2]],
    ['division', ONE_PROCESS('\tint r0;\n\tr0 = READ_ONCE(*x) / 2;'), ['operator /', 'operator', 6]],
    ['another architecture', 'X86 SB\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n', ['architecture X86', 'architecture', 1]],
  ])('refuses %s with LitmusUnsupported naming it and its line', (_what, src, ...expected) => {
    const e = parseError(src);
    expect(e).toBeInstanceOf(LitmusUnsupported);
    const got = (e as LitmusUnsupported).constructs.map((c) => [c.construct, c.family, c.line]);
    expect(got).toEqual(expected);
    expect((e as LitmusUnsupported).construct.construct).toBe(expected[0]![0]);
  });

  it('reads the kernel forms as linux-kernel.def defines them', () => {
    const t = parseLitmus(
      ONE_PROCESS(
        [
          '\tint r0 = atomic_read(x);',
          '\tsmp_store_mb(*x, 2);',
          '\tatomic_add(3, x);',
          '\tr0 = atomic_dec_and_test(x);',
          '\tr0 = xchg_acquire(x, r0);',
          '\tsmp_mb__before_atomic();',
          '\tr0 = atomic_fetch_inc_release(x);',
        ].join('\n'),
        'atomic_t *x',
        'exists (0:r0=1)',
      ),
    );
    const body = t.processes[0]!.body;
    expect(body.map((s) => (s.kind === 'assign' ? `assign:${s.value.kind}` : s.kind === 'fence' ? `fence:${s.fence}` : s.kind))).toEqual([
      'assign:load',
      'store',
      'fence:mb',
      'atomicOp',
      'assign:binary',
      'assign:xchg',
      'fence:before-atomic',
      'assign:atomicReturn',
    ]);
    expect(body[0]).toMatchObject({ value: { kind: 'load', loc: 'x', order: 'once' } });
    expect(body[3]).toMatchObject({ kind: 'atomicOp', op: '+', operand: { kind: 'const', value: 3 } });
    expect(body[4]).toMatchObject({ value: { kind: 'binary', op: '==', left: { kind: 'atomicReturn', op: '-', order: 'mb', returns: 'new' } } });
    expect(body[5]).toMatchObject({ value: { kind: 'xchg', order: 'acquire' } });
    expect(body[7]).toMatchObject({ value: { kind: 'atomicReturn', op: '+', order: 'release', returns: 'old' } });
  });

  it('keeps the stated result, the comment, the initial state and herd precedence in conditions', () => {
    const t = parseLitmus(
      'C t\n(*\n * Result: Sometimes\n *)\n{ x=1; int y = 2; atomic_t a = ATOMIC_INIT(-3); 0:r0=4; }\nP0(int *x, int *y, atomic_t *a) { int r0; }\nexists (x=1 \\/ y=2 /\\ ~a=3 => 0:r0=4)\n',
    );
    expect(t.expected).toBe('Sometimes');
    expect(t.comment).toContain('Result: Sometimes');
    expect(t.init.map((e) => [e.loc.kind === 'global' ? e.loc.name : `${e.loc.proc}:${e.loc.name}`, e.value])).toEqual([
      ['x', 1],
      ['y', 2],
      ['a', -3],
      ['0:r0', 4],
    ]);
    // \/ is weakest, then /\, then => (herd's own, unlike C's), then ~.
    expect(t.condition.prop).toMatchObject({ kind: 'or', right: { kind: 'and', right: { kind: 'implies', left: { kind: 'not' } } } });
    expect(runModel(t, 'sc').condition).toBe('exists ([x]=1 \\/ [y]=2 /\\ (not ([a]=3) => 0:r0=4))');
  });
});

describe('what a model is told', () => {
  /** sc, recording every access it is asked to take (first time each event is seen). */
  function recording(): { model: MemoryModel<ScState>; seen: Map<string, Access> } {
    const seen = new Map<string, Access>();
    return {
      seen,
      model: {
        ...sc,
        step: (s, p, a) => {
          if (!seen.has(a.id)) seen.set(a.id, a);
          return sc.step(s, p, a);
        },
      },
    };
  }
  const find = (seen: Map<string, Access>, proc: number, kind: Access['kind'], loc?: number): Access[] =>
    [...seen.values()].filter((a) => a.id.startsWith(`${proc}:`) && a.kind === kind && (loc === undefined || ('loc' in a && a.loc === loc)));

  it('a control dependency reaches the accesses inside the if, not past it', () => {
    const src = ONE_PROCESS('\tint r0;\n\tr0 = READ_ONCE(*x);\n\tif (r0)\n\t\tWRITE_ONCE(*y, 1);\n\tWRITE_ONCE(*x, 2);', 'int *x, int *y');
    const t = parseLitmus(src.replace('{}', '{ x=1; }'));
    const { model, seen } = recording();
    runLitmus(t, model);
    const idx = compile(t).locationIndex;
    const [read] = find(seen, 0, 'load');
    const [inside] = find(seen, 0, 'store', idx.get('y'));
    const [after] = find(seen, 0, 'store', idx.get('x'));
    expect(inside!.deps).toEqual({ data: [], ctrl: [read!.id] });
    expect(after!.deps).toEqual({ data: [], ctrl: [] });
  });

  it('dep+plain: data dependencies through registers; through memory the model follows them itself', () => {
    // Started from x=1, so that P0's if is taken (under sc it never is from x=0).
    const t = parseLitmus(read(KERNEL_DIR, 'dep+plain.litmus').replace('{}', '{ x=1; }'));
    const { model, seen } = recording();
    runLitmus(t, model);
    const idx = compile(t).locationIndex;
    const [readX] = find(seen, 0, 'load', idx.get('x'));
    const [storeZ1] = find(seen, 0, 'store', idx.get('z1'));
    const [readZ1] = find(seen, 0, 'load', idx.get('z1'));
    const [storeZ2] = find(seen, 0, 'store', idx.get('z2'));
    const [readZ2] = find(seen, 0, 'load', idx.get('z2'));
    const [storeY] = find(seen, 0, 'store', idx.get('y'));
    expect(storeZ1!.deps.data).toEqual([readX!.id]);
    expect(storeZ2!.deps.data).toEqual([readZ1!.id]);
    expect(storeY!.deps.ctrl).toEqual([readZ2!.id]);
    const [acquire] = find(seen, 1, 'load', idx.get('y'));
    const [release] = find(seen, 1, 'store', idx.get('x'));
    expect(acquire).toMatchObject({ order: 'acquire' });
    expect(release).toMatchObject({ order: 'release', deps: { data: [acquire!.id], ctrl: [] } });
  });
});

describe('docs/litmus.md', () => {
  it('the kernel table says what the models give', () => {
    const doc = readFileSync(new URL('../docs/litmus.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| (\S+) \| (Never|Sometimes|Always) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1]!, [m[2], m[3]!.trim(), m[4]!.trim(), m[5]!.trim()]]),
    );
    expect(rows.size).toBe(KERNEL_FILES);
    for (const k of kernel) {
      const name = k.file.replace(/\.litmus$/, '');
      const cell = (m: ModelName): string => {
        if (!k.test) return `refused (${REFUSED[name]})`;
        const r = runModel(k.test, m);
        return `${r.result} (${r.positive}/${r.negative})`;
      };
      const stated = /Result: (\w+)/.exec(read(KERNEL_DIR, k.file))![1];
      expect(rows.get(name), name).toEqual([stated, cell('sc'), cell('tso'), cell('weak')]);
    }
  });
});

describe('speed', () => {
  it(`the whole accepted kernel suite, under every model, in under ${PER_TEST_MS} ms`, () => {
    const t0 = performance.now();
    for (const t of accepted) for (const m of MODEL_NAMES) runModel(t, m);
    expect(performance.now() - t0).toBeLessThan(PER_TEST_MS);
  });
});

describe('iommu-stress litmus (the command)', () => {
  const CLI = fileURLToPath(new URL('../dist/src/cli/cli.js', import.meta.url));
  const kernel = fileURLToPath(new URL('./litmus/kernel/', import.meta.url));
  const files = readdirSync(kernel).filter((f) => f.endsWith('.litmus')).map((f) => join(kernel, f));
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'litmus', ...args], { encoding: 'utf8', timeout: 60_000 });

  it("runs the kernel's suite under tso: herd's output for each, the stated result checked, the refused ones listed, exit 0", () => {
    const r = cli(...files, '--memory-model', 'tso', '--skip-unsupported');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Observation SB\+poonceonces Sometimes \d+ \d+/);
    expect(r.stdout).toMatch(/Stated SB\+fencembonceonces Never \(herd7, LKMM\): agrees/);
    expect(r.stdout).toMatch(/Refused .*MP\+onceassign\+derefonce\.litmus: unsupported: .*rcu_assign_pointer/);
    expect(r.stdout).toMatch(/litmus under tso: 34 tests run \(31 Never, 3 Sometimes\), 1 refused .*; no result contradicts the one its file states/);
  });

  it('bad input is exit 2 before anything runs: an unknown model, a missing file, a refused construct without --skip-unsupported', () => {
    const model = cli(files[0]!, '--memory-model', 'arm');
    expect(model.status).toBe(2);
    expect(model.stderr).toMatch(/--memory-model "arm": unknown \(allowed: sc, tso, weak\)/);
    const missing = cli(join(kernel, 'no-such.litmus'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no-such\.litmus.*cannot read it/);
    const rcu = cli(...files);
    expect(rcu.status).toBe(2);
    expect(rcu.stdout).toBe('');
    expect(rcu.stderr).toMatch(/rcu_read_lock \(rcu/);
  });
});
