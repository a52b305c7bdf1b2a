// A post whose answer never came (Herald was killed mid-call, or the call timed out) may have been
// made all the same. Every post carries message metadata naming its outbox row, and the row records
// when it was sent (OutboxMessage.sendingSince, committed before the call); before that row is
// posted again, the channel (or the thread) is searched for a message with that metadata, and
// when one is there it is taken as the post's answer: Slack shows the alert once.
import type { WebClient } from '@slack/web-api';
import { classifySlackFailure } from './slackOutcome.js';

export const OUTBOX_EVENT_TYPE = 'herald_outbox';

/** Slack's clock and Herald's may differ a little: the search starts this long before the mark. */
const CLOCK_SKEW_MS = 10_000;
const PAGE_SIZE = 100;
/** The search reads at most this many pages per conversation; past them, the post is made again. */
const MAX_PAGES = 5;

/** The metadata every post carries (chat.postMessage `metadata`). */
export function outboxMetadata(outboxId: number): { event_type: string; event_payload: { outbox_id: number } } {
  return { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: outboxId } };
}

export interface InDoubtPost {
  channel: string;
  outboxId: number;
  /** When the earlier attempt was about to post. */
  since: Date;
  /** The thread the post went to, if it was a reply. */
  threadTs?: string;
  /** The bot's id (B…): only its messages count, so another app's metadata cannot pass for Herald's. */
  botId: string | null;
}

/** What the search found: the message's ts, nothing, or that it could not look (and why). */
export type Lookup = { ts: string } | { ts: null } | { unknown: string };

/**
 * Searches for the message an earlier attempt may have posted. Slack answers worth retrying (429,
 * 5xx, timeouts) and token trouble are thrown, to be handled as the post's own would be; an answer
 * saying Herald cannot read there (missing_scope, not_in_channel, …) is `unknown`.
 */
export async function findEarlierPost(slack: WebClient, token: string, post: InDoubtPost): Promise<Lookup> {
  const oldest = ((post.since.getTime() - CLOCK_SKEW_MS) / 1000).toFixed(6);
  const matches = (message: { bot_id?: string; metadata?: { event_type?: string; event_payload?: unknown } }) =>
    message.metadata?.event_type === OUTBOX_EVENT_TYPE &&
    Number((message.metadata.event_payload as { outbox_id?: unknown } | undefined)?.outbox_id) === post.outboxId &&
    (post.botId === null || message.bot_id === post.botId);
  try {
    if (post.threadTs !== undefined) {
      const found = await search((cursor) => slack.conversations.replies({ token, channel: post.channel, ts: post.threadTs as string, oldest, include_all_metadata: true, limit: PAGE_SIZE, cursor }), matches).catch(
        (error: unknown) => {
          // The parent is gone: a reply to it was posted top-level, so it is in the channel's history.
          if (classifySlackFailure(error).kind === 'message_gone') return null;
          throw error;
        },
      );
      if (found !== null) return { ts: found };
    }
    return { ts: await search((cursor) => slack.conversations.history({ token, channel: post.channel, oldest, include_all_metadata: true, limit: PAGE_SIZE, cursor }), matches) };
  } catch (error) {
    const outcome = classifySlackFailure(error);
    if (outcome.kind === 'rate_limited' || outcome.kind === 'transient' || outcome.kind === 'token_expired' || outcome.kind === 'installation_gone') throw error;
    return { unknown: outcome.reason };
  }
}

type Page = { messages?: { ts?: string; bot_id?: string; metadata?: { event_type?: string; event_payload?: unknown } }[]; has_more?: boolean; response_metadata?: { next_cursor?: string } };

async function search(read: (cursor: string | undefined) => Promise<Page>, matches: (message: NonNullable<Page['messages']>[number]) => boolean): Promise<string | null> {
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const answer = await read(cursor);
    const found = answer.messages?.find(matches);
    if (found?.ts) return found.ts;
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!answer.has_more || !cursor) return null;
  }
  return null;
}
