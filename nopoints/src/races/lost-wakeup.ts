import type { Race } from './race.js';
import { RACE_BASE } from './shared.js';

export const lostWakeup: Race = {
  name: 'lost-wakeup',
  design: 'a futex-style mutex whose waiter checks the lock and then sleeps on a separate event word, non-atomically: an unlock between the two is lost and the waiter sleeps forever',
  counterpart: 'the futex mutex, which sleeps on the lock word itself with the value it checked',
  base: { ...RACE_BASE, ops: 8 },
  broken: { lock: 'futex-lostwake' },
  correct: { lock: 'futex' },
  classes: {},
};
