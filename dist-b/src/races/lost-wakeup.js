import { defineRace } from '../api/define.js';
import { RACE_WORKLOAD } from './shared.js';
export const lostWakeup = defineRace({
    name: 'lost-wakeup',
    design: 'a futex-style mutex whose waiter checks the lock and then sleeps on a separate event word, non-atomically: an unlock between the two is lost and the waiter sleeps forever',
    counterpart: 'the futex mutex, which sleeps on the lock word itself with the value it checked',
    workload: { ...RACE_WORKLOAD, ops: 8 },
    broken: { lock: 'futex-lostwake' },
    correct: { lock: 'futex' },
});
//# sourceMappingURL=lost-wakeup.js.map