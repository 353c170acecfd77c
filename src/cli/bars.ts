/**
 * Progress on stderr (interim: a line every few seconds, never past its total).
 */
export interface Bar {
  setTotal(total: number): void;
  update(done: number, what?: string): void;
  log(line: string): void;
  stop(): void;
}

export function createProgress(o: { label: string; unit: string; total?: number }): Bar {
  let total = o.total ?? Infinity;
  let last = 0;
  return {
    setTotal(t) {
      total = t;
    },
    update(done, what = '') {
      const now = Date.now();
      if (now - last < 5000) return;
      last = now;
      const shown = Math.min(done, total);
      process.stderr.write(`${o.label} ${shown}${Number.isFinite(total) ? `/${total}` : ''} ${o.unit}${what ? `: ${what}` : ''}\n`);
    },
    log(line) {
      process.stderr.write(line + '\n');
    },
    stop() {},
  };
}

export function timeProgress(_label: string, _seconds: number): { tick(elapsedSec: number): void; stop(): void } {
  return { tick() {}, stop() {} };
}
