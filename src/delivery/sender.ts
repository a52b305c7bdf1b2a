// Makes the Slack call one outbox row stands for. `post` and `update` render the group as it
// stands now; `reply` and `test` send what was rendered when they were queued. A deleted parent
// message is replaced by a new one rather than lost; an expired rotating token is refreshed and
// the call made once more. Everything else Slack answers goes back to the caller, classified.
// A post that an earlier attempt may have made unanswered is looked for before it is made again
// (inDoubt.ts).
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Db, OutboxMessage } from '../db/database.js';
import type { Logger } from '../log.js';
import { renderAlertGroup, type SlackMessage } from '../render/index.js';
import type { BotTokens } from './botTokens.js';
import { loadGroupView } from './groupView.js';
import { findEarlierPost, outboxMetadata } from './inDoubt.js';
import type { QueuedMessage } from './outbox.js';
import { classifySlackFailure, slackAnswered, type SlackOutcome } from './slackOutcome.js';

export interface SendDeps {
  db: Db;
  slack: WebClient;
  tokens: BotTokens;
  /** For the warning when an in-doubt post cannot be looked for. */
  log?: Logger;
  now?: () => Date;
}

export type SendResult =
  | { ok: true; group: { id: string; postedTs?: string; shownVersion: number } | null }
  /** `inDoubt`: a post for this row may have reached Slack unanswered; its next attempt looks for it first. */
  | { ok: false; outcome: SlackOutcome; inDoubt?: boolean };

type Call = (token: string) => Promise<SendResult>;

export async function sendOutboxRow(deps: SendDeps, row: OutboxMessage, slackChannelId: string): Promise<SendResult> {
  const poster = new Poster(deps, row, slackChannelId);
  const call = await callFor(deps, row, slackChannelId, poster);
  if (call === null) return { ok: true, group: null }; // the group is gone (channel removed): nothing to send
  const result = await withToken(deps, row.installationId, call);
  return result.ok ? result : { ...result, inDoubt: poster.inDoubt };
}

/** Places where an in-doubt post could not be looked for, each warned about once per process. */
const warned = new Set<string>();

/**
 * chat.postMessage for one outbox row, made at most once as far as Slack shows: each post carries
 * the row's metadata and is marked on the row (sendingSince, committed) before it is made; a row
 * found marked is looked for in Slack before it is posted again.
 */
class Poster {
  /** When an earlier attempt was about to post, until this attempt has looked for that post. */
  #earlier: Date | null;
  /** Whether a post of this row may be in Slack unanswered (what settling keeps on the row). */
  inDoubt: boolean;

  constructor(
    private readonly deps: SendDeps,
    private readonly row: OutboxMessage,
    private readonly channel: string,
  ) {
    this.#earlier = row.sendingSince;
    this.inDoubt = row.sendingSince !== null;
  }

  /** Posts, or finds the earlier attempt's post; `found` says which. */
  async post(token: string, args: SlackMessage & { thread_ts?: string; reply_broadcast?: boolean }): Promise<{ ts: string; found: boolean }> {
    const { deps, row, channel } = this;
    if (this.#earlier !== null) {
      const found = await this.#lookUp(token, this.#earlier, args.thread_ts);
      if (found !== null) return { ts: found, found: true };
      this.#earlier = null;
      this.inDoubt = false;
    }
    await deps.db.outboxMessage.updateMany({ where: { id: row.id }, data: { sendingSince: deps.now?.() ?? new Date() } });
    this.inDoubt = true;
    try {
      const answer = await deps.slack.chat.postMessage({ ...args, token, channel, metadata: outboxMetadata(row.id) } as ChatPostMessageArguments);
      return { ts: String(answer.ts), found: false };
    } catch (error) {
      if (slackAnswered(error)) this.inDoubt = false; // refused: nothing was posted
      throw error;
    }
  }

  /** The ts of the earlier attempt's post, or null when it is not in Slack (or cannot be looked for). */
  async #lookUp(token: string, since: Date, threadTs: string | undefined): Promise<string | null> {
    const { deps, row, channel } = this;
    const installation = await deps.db.installation.findUnique({ where: { id: row.installationId }, select: { botId: true } });
    const lookup = await findEarlierPost(deps.slack, token, { channel, outboxId: row.id, since, threadTs, botId: installation?.botId ?? null });
    if ('unknown' in lookup) {
      const key = `${row.installationId} ${channel} ${lookup.unknown}`;
      if (!warned.has(key)) {
        warned.add(key);
        deps.log?.warn(
          { installationId: row.installationId, channel, reason: lookup.unknown },
          'could not look in Slack for a message that may already have been posted (Herald stopped mid-call); posting it again, so it may show twice. ' +
            'Reinstall Herald to grant channels:history and groups:history, and invite it to the channel',
        );
      }
      return null;
    }
    if (lookup.ts !== null) deps.log?.info({ outboxId: row.id, channel, ts: lookup.ts }, 'a post whose answer was lost is in Slack: not posting it again');
    return lookup.ts;
  }
}

async function withToken(deps: SendDeps, installationId: string, call: Call): Promise<SendResult> {
  for (let attempt = 0; ; attempt++) {
    let token: string | null;
    try {
      token = await deps.tokens.tokenFor(installationId);
    } catch {
      // The installation could not be read, or its token not refreshed (Slack down): try again later.
      return { ok: false, outcome: { kind: 'transient', reason: 'token_unavailable' } };
    }
    if (token === null) return { ok: false, outcome: { kind: 'installation_gone', reason: 'not_installed' } };
    try {
      return await call(token);
    } catch (error) {
      const outcome = classifySlackFailure(error);
      if (outcome.kind !== 'token_expired') return { ok: false, outcome };
      deps.tokens.forget(installationId);
      if (attempt >= 1) return { ok: false, outcome: { kind: 'transient', reason: outcome.reason } };
    }
  }
}

async function callFor(deps: SendDeps, row: OutboxMessage, channel: string, poster: Poster): Promise<Call | null> {
  const { slack } = deps;
  const post = (token: string, args: SlackMessage & { thread_ts?: string; reply_broadcast?: boolean }) => poster.post(token, args);

  if (row.kind === 'test') {
    const message = JSON.parse(row.payload ?? '{}') as QueuedMessage;
    return async (token) => {
      await post(token, { text: message.text, blocks: message.blocks, attachments: message.attachments });
      return { ok: true, group: null };
    };
  }

  const group = row.groupId === null ? null : await deps.db.alertGroup.findUnique({ where: { id: row.groupId } });
  if (group === null) return null;

  if (row.kind === 'reply') {
    const message = JSON.parse(row.payload ?? '{}') as QueuedMessage;
    return async (token) => {
      const content = { text: message.text, blocks: message.blocks, attachments: message.attachments };
      if (group.messageTs === null) {
        await post(token, content); // the parent never made it: the reply stands on its own
        return { ok: true, group: null };
      }
      try {
        await post(token, { ...content, thread_ts: group.messageTs, ...(message.broadcast ? { reply_broadcast: true } : {}) });
      } catch (error) {
        if (classifySlackFailure(error).kind !== 'message_gone') throw error;
        await post(token, content);
      }
      return { ok: true, group: null };
    };
  }

  // post / update: the group's message as it stands now.
  const message = renderAlertGroup(await loadGroupView(deps.db, group), { compact: row.compact });
  const shown = (postedTs?: string) => ({ ok: true as const, group: { id: group.id, shownVersion: group.version, ...(postedTs ? { postedTs } : {}) } });
  const update = (token: string, ts: string) => slack.chat.update({ token, channel, ts, text: message.text, blocks: message.blocks, attachments: message.attachments });
  return async (token) => {
    if (row.kind === 'update' && group.messageTs !== null) {
      try {
        await update(token, group.messageTs);
        return shown();
      } catch (error) {
        if (classifySlackFailure(error).kind !== 'message_gone') throw error;
        // Someone deleted the message: the group gets a new one.
      }
    }
    const posted = await post(token, message);
    // A post found from an earlier attempt shows the group as it was then: bring it up to date.
    if (posted.found) await update(token, posted.ts);
    return shown(posted.ts);
  };
}
