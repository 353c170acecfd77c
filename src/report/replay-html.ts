/** PLACEHOLDER until the trace helper's branch is merged. */
import type { RunTrace } from './run-trace.js';
export async function renderReplayHtml(t: RunTrace): Promise<string> {
  return `<html><body><pre>${t.report}</pre></body></html>`;
}
