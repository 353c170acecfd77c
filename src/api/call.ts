/**
 * Every call of the package API runs through here: if design code it ran on
 * the main thread had to be stopped by the main thread's watchdog
 * (engine/main-watchdog.ts), the call, stopped with it, is rejected with
 * that HarnessError and every engine's threads are stopped; it would
 * otherwise never settle.
 */
import { Engine } from '../engine/engine.js';
import { guardedCall } from '../engine/main-watchdog.js';

export function apiCall<T>(body: () => Promise<T>): Promise<T> {
  return guardedCall(body, () => void Engine.closeAll());
}
