/**
 * One device-loop run for the instruction counts of bench/instructions.ts,
 * started under valgrind: node --single-threaded dist/bench/instr-run.js OPS STATS
 */
import { runDeviceLoop } from './loop.js';

const [ops = '1000', stats = 'on'] = process.argv.slice(2);
const r = await runDeviceLoop({ ops: Number(ops), stats: stats === 'off' ? 'off' : 'on', completion: 'fifo' });
process.stdout.write(`${r.ops}\n`);
