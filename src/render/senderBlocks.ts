// Blocks a sender wrote itself (the Slack-webhook format), shown instead of Herald's own body.
import type { KnownBlock } from '@slack/web-api';
import type { Alert } from '../alerts/alert.js';
import { contextBlock, type LayoutBudget } from './blocks.js';
import { blockKitProblems, blockTextLength } from './limits.js';
import { plural } from './text.js';

const CLOSING_LINE_RESERVE = 50;

/** Whether any alert of the group came with its own blocks. */
export function hasSenderBlocks(alerts: readonly Alert[]): boolean {
  return alerts.some((alert) => (alert.slack?.blocks?.length ?? 0) > 0);
}

/**
 * The senders' blocks, alert by alert in display order, as many as the budget allows. Blocks that
 * break a Block Kit rule are dropped (one bad block would make Slack refuse the whole message), and
 * `block_id`s are removed: two alerts may carry the same ids, and Slack refuses duplicates. A last
 * line says how many blocks were not shown.
 */
export function senderBlocks(alerts: readonly Alert[], budget: LayoutBudget): KnownBlock[] {
  const candidates = alerts.flatMap((alert) => alert.slack?.blocks ?? []);
  const shown: KnownBlock[] = [];
  for (const candidate of candidates) {
    if (blockKitProblems({ blocks: [candidate] }).length > 0) continue;
    const block = withoutBlockId(candidate);
    // Keep a block and a little text for the closing line.
    if (budget.blocks < 2 || blockTextLength(block) + CLOSING_LINE_RESERVE > budget.chars) break;
    budget.spend(block);
    shown.push(block);
  }
  const notShown = candidates.length - shown.length;
  if (notShown > 0) {
    const line = contextBlock([`…${plural(notShown, 'more block')} from the sender not shown`]);
    if (budget.spend(line)) shown.push(line);
  }
  return shown;
}

function withoutBlockId(block: unknown): KnownBlock {
  // blockKitProblems accepted it, so it is an object with a block `type` Slack knows: a KnownBlock
  // in all but TypeScript's eyes (its exact shape is the sender's business).
  const { block_id: _blockId, ...rest } = block as KnownBlock;
  return rest as KnownBlock;
}
