/**
 * One run for the instruction counts of bench/instructions.ts, started under
 * valgrind: node --single-threaded dist/bench/instr-run.js OPS SIDE
 *
 *   SIDE on | off   the device loop, run defaults with fifo completion, --stats on or off
 *   harness-twin    the device loop on the twin's configuration (ttas, random completion, 1 page, 4 in flight)
 *   twin            the bare twin (twin-worker.ts) on the calling thread, one worker, its own domain
 *   twin-wasm       the same, its locks on the harness's atomics (WebAssembly's: TwinDeviceWasm)
 */
import { setV8Flags } from '../src/engine/engine.js';
import { runDeviceLoop } from './loop.js';
import { CTL_GO, TwinDevice, TwinDeviceWasm, initTwin, twinLayout } from './twin-worker.js';
import { allocShared, wordAtomics } from '../src/memory/shared.js';

const [opsArg = '1000', side = 'on'] = process.argv.slice(2);
const ops = Number(opsArg);
if (side === 'twin' || side === 'twin-wasm') {
  // Compiled with the same V8 flags as the harness's side.
  setV8Flags();
  const L = twinLayout(1, false, 4);
  const sab = allocShared(L.words * 4);
  initTwin(sab, L);
  Atomics.store(new Int32Array(sab), CTL_GO, 1);
  const dev = side === 'twin' ? new TwinDevice(sab, L, 0, 1) : new TwinDeviceWasm(sab, L, 0, 1, wordAtomics(sab)!);
  dev.run(ops);
} else if (side === 'harness-twin') {
  await runDeviceLoop({ ops, lock: 'ttas', completion: 'random', pages: 1, inflight: 4 });
} else {
  await runDeviceLoop({ ops, stats: side === 'off' ? 'off' : 'on', completion: 'fifo' });
}
process.stdout.write(`${ops}\n`);
