/**
 * Instructions, not seconds: callgrind counts the instructions a run
 * executes, the same for the same program and input whatever else the
 * machine does (node --single-threaded keeps V8's compiler and GC threads
 * from adding their own; fixed --random-seed and --hash-seed keep V8's
 * randomised layouts the same run to run: two identical runs then agree to
 * 0.05%). A run of OPS operations minus a run of OPS/3 gives
 * the steady-state instructions of one operation, start-up and warm-up
 * cancelled. Compared: the harness's counters on against off, and the
 * harness against its bare twin (twin-worker.ts) on the twin's
 * configuration: the twin section's figure, in instructions. Needs valgrind; opt-in
 * (`npm run bench -- --only instructions`): each run is 20 to 60 s under it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { table } from '../src/report/report.js';
import { signedPct } from './format.js';
import type { Profile } from './tuning.js';

const RUNNER = fileURLToPath(new URL('./instr-run.js', import.meta.url));

export const haveValgrind = (): boolean => spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status === 0;

/** Instructions callgrind counted for one run. */
function count(ops: number, side: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--single-threaded', '--random-seed=1', '--hash-seed=1'];
    const p = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', ...node, RUNNER, String(ops), side]);
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      const m = /Collected : (\d+)/.exec(err);
      if (code !== 0 || !m) reject(new Error(`callgrind run (${ops} ops, ${side}) failed: ${err.split('\n').slice(-3).join(' ')}`));
      else resolve(Number(m[1]));
    });
  });
}

export interface PerOp {
  label: string;
  instructions: number;
}

/** Steady-state instructions an operation: (I(ops) - I(ops/3)) / (ops - ops/3), two runs at a time. */
async function perOp(label: string, side: string, ops: number): Promise<PerOp> {
  const small = Math.round(ops / 3);
  const [a, b] = await Promise.all([count(ops, side), count(small, side)]);
  return { label, instructions: (a - b) / (ops - small) };
}

export interface InstructionsResult {
  ops: number;
  statsOn: PerOp;
  statsOff: PerOp;
  /** The harness on the twin's configuration, and the twin. */
  harness: PerOp;
  twin: PerOp;
  /** The twin on the harness's atomics (WebAssembly's). */
  twinWasm: PerOp;
}

export async function measureInstructions(p: Profile): Promise<InstructionsResult | null> {
  if (!haveValgrind()) return null;
  // The window (ops/3 .. ops) must start after V8 has compiled the operation's code: with --single-threaded the
  // compile runs in the measured thread, and one compile of the device loop inside the window reads as thousands of
  // instructions an operation (45 000 - 15 000 counted 6123 for what 600 000 - 200 000 counts about 4100).
  const ops = p.name === 'quick' ? 45_000 : 600_000;
  const statsOn = await perOp('stats on (the default)', 'on', ops);
  const statsOff = await perOp('stats off', 'off', ops);
  const harness = await perOp('harness (ttas, random completion, 1 page, 4 in flight)', 'harness-twin', ops);
  const twin = await perOp('bare twin, same design (Atomics.*)', 'twin', ops);
  const twinWasm = await perOp("bare twin on the harness's atomics (WebAssembly)", 'twin-wasm', ops);
  return { ops, statsOn, statsOff, harness, twin, twinWasm };
}

export function formatInstructions(r: InstructionsResult | null): string {
  if (!r) return 'instructions: skipped, valgrind is not installed (Debian: apt-get install valgrind)';
  const pct = (a: PerOp, b: PerOp): string => signedPct(((a.instructions - b.instructions) / b.instructions) * 100);
  return [
    `instructions: callgrind's count per device-loop operation (1 device, run defaults, fifo), runs of ${r.ops} minus runs of ${Math.round(r.ops / 3)} operations`,
    table(
      ['statistics', 'instructions/op'],
      [r.statsOn, r.statsOff].map((x) => [x.label, x.instructions.toFixed(0)]),
    ),
    `the harness's counters (stats on against off): ${pct(r.statsOn, r.statsOff)}.`,
    table(
      ['the twin section\'s configuration', 'instructions/op'],
      [r.harness, r.twin, r.twinWasm].map((x) => [x.label, x.instructions.toFixed(0)]),
    ),
    `harness/twin as the twin section reads it, in instructions (twin's / harness's): ${(r.twin.instructions / r.harness.instructions).toFixed(2)}; an operation of the harness executes ${(r.harness.instructions / r.twin.instructions).toFixed(2)}x the twin's instructions.`,
    `like for like, both on WebAssembly's atomics: ${(r.twinWasm.instructions / r.harness.instructions).toFixed(2)} (the harness's own work an operation: ${(r.harness.instructions - r.twinWasm.instructions).toFixed(0)} instructions).`,
    `Instructions are not time, but they repeat where time does not;`,
    `  a few hundred instructions either way also follow from where V8 chose to inline, not only from the code a feature adds.`,
  ].join('\n');
}
