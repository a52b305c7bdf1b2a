// Makes the Slack call one outbox row stands for. `post` and `update` render the group as it
// stands now; `reply` and `test` send what was rendered when they were queued. A deleted parent
// message is replaced by a new one rather than lost; an expired rotating token is refreshed and
// the call made once more. Everything else Slack answers goes back to the caller, classified.
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Db, OutboxMessage } from '../db/database.js';
import { renderAlertGroup, type SlackMessage } from '../render/index.js';
import type { BotTokens } from './botTokens.js';
import { loadGroupView } from './groupView.js';
import type { QueuedMessage } from './outbox.js';
import { classifySlackFailure, type SlackOutcome } from './slackOutcome.js';

export interface SendDeps {
  db: Db;
  slack: WebClient;
  tokens: BotTokens;
}

export type SendResult =
  | { ok: true; group: { id: string; postedTs?: string; shownVersion: number } | null }
  | { ok: false; outcome: SlackOutcome };

type Call = (token: string) => Promise<SendResult>;

export async function sendOutboxRow(deps: SendDeps, row: OutboxMessage, slackChannelId: string): Promise<SendResult> {
  const call = await callFor(deps, row, slackChannelId);
  if (call === null) return { ok: true, group: null }; // the group is gone (channel removed): nothing to send
  return withToken(deps, row.installationId, call);
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

async function callFor(deps: SendDeps, row: OutboxMessage, channel: string): Promise<Call | null> {
  const { slack } = deps;
  const post = async (token: string, args: SlackMessage & { thread_ts?: string; reply_broadcast?: boolean }) => {
    const answer = await slack.chat.postMessage({ ...args, token, channel } as ChatPostMessageArguments);
    return String(answer.ts);
  };

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
  return async (token) => {
    if (row.kind === 'update' && group.messageTs !== null) {
      try {
        await slack.chat.update({ token, channel, ts: group.messageTs, text: message.text, blocks: message.blocks, attachments: message.attachments });
        return shown();
      } catch (error) {
        if (classifySlackFailure(error).kind !== 'message_gone') throw error;
        // Someone deleted the message: the group gets a new one.
      }
    }
    return shown(await post(token, message));
  };
}
