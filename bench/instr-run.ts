/**
 * One device-loop run for the instruction counts of bench/instructions.ts,
 * started under valgrind: node --single-threaded dist/bench/instr-run.js BUILD OPS STATS
 * BUILD is '' (the build with schedule points) or 'free/'.
 */
const [build = '', ops = '1000', stats = 'on'] = process.argv.slice(2);
const { runDeviceLoop } = (await import(new URL(`../${build}bench/loop.js`, import.meta.url).href)) as typeof import('./loop.js');
const r = runDeviceLoop({ ops: Number(ops), stats: stats === 'off' ? 'off' : 'on', completion: 'fifo' });
process.stdout.write(`${r.ops}\n`);
