// Small constructors for the blocks Herald renders, so the layout code reads as layout.
import type { ContextBlock, HeaderBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/web-api';
import { blockTextLength } from './limits.js';

export function headerBlock(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text, emoji: true } };
}

export function sectionBlock(mrkdwn: string): SectionBlock {
  return { type: 'section', text: mrkdwnElement(mrkdwn) };
}

export function fieldsBlock(fields: string[]): SectionBlock {
  return { type: 'section', fields: fields.map(mrkdwnElement) };
}

export function contextBlock(lines: string[]): ContextBlock {
  return { type: 'context', elements: lines.map(mrkdwnElement) };
}

function mrkdwnElement(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

/**
 * What a message may still take: blocks (Slack's 50) and characters of block text (Slack's undocumented
 * ~12,000 total, see MAX_TOTAL_BLOCK_TEXT). Builders size their text from `chars` and then `spend`.
 */
export class LayoutBudget {
  constructor(
    public blocks: number,
    public chars: number,
  ) {}

  /** Whether `block` still fits; if so, counts it. */
  spend(block: KnownBlock): boolean {
    const size = blockTextLength(block);
    if (this.blocks < 1 || size > this.chars) return false;
    this.blocks -= 1;
    this.chars -= size;
    return true;
  }
}
