// `/herald test` and the App Home's "Send test" button: a sample alert, posted to a channel, with the
// outcome recorded on the channel (last delivery, last error) as real deliveries will record it.
//
// There is no delivery pipeline yet, so this posts directly. When the outbox exists (issue 5), this
// function is the one place to switch: enqueue the test alert there instead of calling Slack, so a
// test goes the way real alerts go (pacing, retries, error handling).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { renderTestAlert } from '../render/index.js';
import { recordDelivery } from './channels.js';
import type { SlackApi } from './slackApi.js';
import { slackErrorCode } from './slackErrors.js';

export type TestOutcome = { ok: true } | { ok: false; code: string };

export async function sendTestAlert(
  deps: { db: Db; slack: SlackApi; now: Date },
  channel: { id: string; channelId: string },
): Promise<TestOutcome> {
  const message = renderTestAlert(deps.now, `test-${randomUUID()}`);
  try {
    await deps.slack.chat.postMessage({ channel: channel.channelId, ...message });
  } catch (error) {
    const code = slackErrorCode(error);
    await recordDelivery(deps.db, channel.id, { at: deps.now, error: code });
    return { ok: false, code };
  }
  await recordDelivery(deps.db, channel.id, { at: deps.now, error: null });
  return { ok: true };
}
