/**
 * Every tuning constant of `npm run bench`, in one place: how long each
 * micro-benchmark samples. `--quick` picks the short profile.
 */
export interface Profile {
  readonly name: 'full' | 'quick';
  /** tinybench time budget per micro case, ms (sampling stops after this and >= 64 samples). */
  readonly microTimeMs: number;
  /** tinybench warm-up budget per micro case, ms. */
  readonly microWarmupMs: number;
}

export const FULL: Profile = {
  name: 'full',
  microTimeMs: 400,
  microWarmupMs: 150,
};

export const QUICK: Profile = {
  name: 'quick',
  microTimeMs: 80,
  microWarmupMs: 40,
};

