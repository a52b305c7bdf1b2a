// The Silence button, on the Alertmanager side: when the group's alerts came from an Alertmanager
// (its payload gave an externalURL) through a token created with `--silence-writeback`, the same
// silence is created there, so the alerts stop at their source too. Off by default: it makes
// Herald call a URL a sender gave it. The outcome is audited and shown to the presser.
import type { AlertGroup, Db } from '../db/database.js';
import type { Actor } from '../setup/actor.js';
import { recordAudit } from '../setup/audit.js';
import { createAlertmanagerSilence, redactedUrl } from './alertmanagerSilences.js';
import { groupMatchers } from './groupActions.js';

/** The line to show the presser, or null when write-back does not apply to this group. */
export async function writeBackSilence(db: Db, actor: Actor, group: AlertGroup, startsAt: Date, endsAt: Date): Promise<string | null> {
  if (group.externalUrl === null || group.tokenId === null) return null;
  const token = await db.ingestToken.findUnique({ where: { id: group.tokenId }, select: { silenceWriteBack: true, revokedAt: true } });
  if (!token?.silenceWriteBack || token.revokedAt !== null) return null;
  const where = redactedUrl(group.externalUrl);
  const result = await createAlertmanagerSilence({
    externalUrl: group.externalUrl,
    matchers: groupMatchers(group),
    startsAt,
    endsAt,
    createdBy: `herald:${actor.userId}`,
    comment: 'Silenced from Slack with Herald',
  });
  if (result.ok) {
    await recordAudit(db, actor, 'alert.silence', `Alertmanager silence ${result.silenceId} created at ${where}`);
    return `:white_check_mark: Also silenced in Alertmanager (${where}), silence ${result.silenceId}.`;
  }
  await recordAudit(db, actor, 'alert.silence', `Alertmanager write-back to ${where} failed: ${result.reason}`);
  return `:warning: Could not silence in Alertmanager (${where}): ${result.reason}. Herald's own silence holds.`;
}
