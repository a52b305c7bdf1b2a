// `/herald test` and the App Home's "Send test" button: a sample alert, queued in the outbox like
// every real notification, so a test goes the way alerts go (pacing, retries, Slack's errors marking
// the channel broken). The caller waits a few seconds for the outcome to tell the person; a test
// still queued then (Slack rate-limiting, a retry pending) is reported as queued, and arrives later.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { renderTestAlert } from '../render/index.js';

export type TestOutcome = { ok: true } | { ok: false; code: string } | { queued: true };

/** How long the person waits for the answer: Slack's own limit for a slash command's reply is 30 min, but a person is not that patient. */
const WAIT_FOR_OUTCOME_MS = 8_000;
const POLL_MS = 100;

export async function sendTestAlert(
  deps: { db: Db; delivery: { wake(): void }; now: Date; waitMs?: number },
  channel: { id: string; installationId: string },
): Promise<TestOutcome> {
  const message = renderTestAlert(deps.now, `test-${randomUUID()}`);
  const row = await deps.db.outboxMessage.create({
    data: { installationId: channel.installationId, channelRowId: channel.id, kind: 'test', payload: JSON.stringify(message), createdAt: deps.now },
  });
  deps.delivery.wake();
  const deadline = Date.now() + (deps.waitMs ?? WAIT_FOR_OUTCOME_MS);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const state = await deps.db.outboxMessage.findUnique({ where: { id: row.id }, select: { deadAt: true, deadReason: true } });
    if (state === null) return { ok: true }; // delivered rows leave the outbox
    if (state.deadAt !== null) return { ok: false, code: state.deadReason ?? 'unknown_error' };
    const current = await deps.db.channel.findUnique({ where: { id: channel.id }, select: { brokenReason: true } });
    if (current?.brokenReason) return { ok: false, code: current.brokenReason };
  }
  return { queued: true };
}
