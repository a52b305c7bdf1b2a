// Block Kit's limits, and a checker that reports every place a message breaks one.
//
// The renderer keeps its own messages inside these limits by construction; the checker is the
// safety net around it (every rendered message is checked in tests) and the gate for blocks that
// users send us in the Slack-webhook format, which arrive as untrusted JSON. Slack counts in
// characters; we count UTF-16 code units (`string.length`), which is never fewer, so a message
// that passes here is never too long for Slack.
//
// Sources (all checked with the docs search):
// - section, header, context, actions, button, option, confirm: the Block Kit reference pages at
//   https://docs.slack.dev/reference/block-kit/blocks/ and .../block-elements/ and
//   .../composition-objects/, and the same descriptions in @slack/types
//   (https://docs.slack.dev/tools/node-slack-sdk/reference/types/interfaces/SectionBlock etc.).
// - message text and attachments: chat.postMessage (https://docs.slack.dev/reference/methods/chat.postMessage)
//   and Slack's changelog https://api.slack.com/changelog/2018-04-truncating-really-long-messages.

import { cutText } from './text.js';

// ── Message ──────────────────────────────────────────────────────────────────────────────────

/** Blocks in one message (and, separately, in one attachment). docs.slack.dev/reference/block-kit/blocks */
export const MAX_BLOCKS_PER_MESSAGE = 50;
/**
 * Top-level `text`. Slack truncates text above 40,000 characters (changelog 2018-04, chat.postMessage
 * "Truncating content") and recommends keeping it under 4,000 for display. The checker uses 40,000:
 * beyond it content is lost, while 4,000 is advice and user-sent webhooks may exceed it legitimately.
 * Herald's own fallback text stays under {@link RECOMMENDED_MAX_MESSAGE_TEXT}.
 */
export const MAX_MESSAGE_TEXT = 40_000;
/** Slack's display recommendation for `text` (chat.postMessage, "Truncating content"). */
export const RECOMMENDED_MAX_MESSAGE_TEXT = 4_000;
/** Attachments in one message. python-slack-sdk `Message.attachments_max_length` (docs.slack.dev/tools/python-slack-sdk/reference/models/messages/message.html): "the actual limit is 100". */
export const MAX_ATTACHMENTS = 100;
/**
 * Not documented: chat.postMessage answers `msg_blocks_too_long` once the blocks' text adds up to
 * roughly 12,000 characters, whatever the per-block limits (slackapi/bolt-js#2509, where a Slack
 * engineer mentions "12,000 text characters with a buffer for block containers", and #2867). We
 * measure every string in the blocks (see {@link blockTextLength}), which over-counts a little.
 */
export const MAX_TOTAL_BLOCK_TEXT = 12_000;

// ── Blocks ───────────────────────────────────────────────────────────────────────────────────

/** `block_id` of any block. Header block reference: "Maximum length for this field is 255 characters." */
export const MAX_BLOCK_ID = 255;
/** Section `text`. Section block reference: "Maximum length for the text in this field is 3000 characters." */
export const MAX_SECTION_TEXT = 3_000;
/** Section `fields`: "Maximum number of items is 10. Maximum length for the text in each item is 2000 characters." */
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_TEXT = 2_000;
/** Header `text` (plain_text only). docs.slack.dev/reference/block-kit/blocks/header-block */
export const MAX_HEADER_TEXT = 150;
/** Context `elements`. docs.slack.dev/reference/block-kit/blocks/context-block: "Maximum number of items is 10." */
export const MAX_CONTEXT_ELEMENTS = 10;
/** Actions `elements`: "There is a maximum of 25 elements in each action block." (@slack/types ActionsBlock) */
export const MAX_ACTIONS_ELEMENTS = 25;
/** Image block/element `image_url` and `alt_text` (image block reference). */
export const MAX_IMAGE_URL = 3_000;
export const MAX_IMAGE_ALT_TEXT = 2_000;
/** Markdown block `text`: 12,000 characters (docs.slack.dev/reference/block-kit/blocks/markdown-block). */
export const MAX_MARKDOWN_BLOCK_TEXT = 12_000;
/** Any text object not limited more tightly above: "maximum length is 3000 characters" (text object reference). */
export const MAX_TEXT_OBJECT = 3_000;

// ── Elements and composition objects ─────────────────────────────────────────────────────────

/** Button: text 75, value 2000, url 3000, accessibility_label 75 (docs.slack.dev/reference/block-kit/block-elements/button-element). */
export const MAX_BUTTON_TEXT = 75;
export const MAX_BUTTON_VALUE = 2_000;
export const MAX_BUTTON_URL = 3_000;
export const MAX_BUTTON_ACCESSIBILITY_LABEL = 75;
/** `action_id` of any element: "Maximum length for this field is 255 characters." */
export const MAX_ACTION_ID = 255;
/** Select menu placeholder (plain_text) and options (static select reference). */
export const MAX_PLACEHOLDER_TEXT = 150;
export const MAX_SELECT_OPTIONS = 100;
/**
 * Option object: text 75; value 150 per docs.slack.dev/reference/block-kit/composition-objects/option-object.
 * @slack/types 3.x still says 75 for `value`, so Herald's own option values stay within 75.
 */
export const MAX_OPTION_TEXT = 75;
export const MAX_OPTION_VALUE = 150;
/** Confirmation dialog: title 100, text 300, confirm 30, deny 30 (confirmation dialog object reference). */
export const MAX_CONFIRM_TITLE = 100;
export const MAX_CONFIRM_TEXT = 300;
export const MAX_CONFIRM_BUTTON = 30;

/** Block types Slack accepts in messages; anything else makes chat.postMessage answer `invalid_blocks`. */
const MESSAGE_BLOCK_TYPES = new Set([
  'actions', 'context', 'divider', 'file', 'header', 'image', 'markdown', 'rich_text', 'section', 'table', 'video',
]);

export interface BlockKitProblem {
  /** Where, e.g. `blocks[2].text.text` or `attachments[0].blocks[1].fields[3].text`. */
  path: string;
  message: string;
}

/**
 * Every Block Kit limit the message breaks; empty when Slack should accept it.
 * Never throws: anything that is not shaped like a message is reported as a problem.
 */
export function blockKitProblems(message: { text?: string; blocks?: unknown[]; attachments?: unknown[] }): BlockKitProblem[] {
  const problems: BlockKitProblem[] = [];
  const report = (path: string, text: string) => problems.push({ path, message: text });
  const m: unknown = message;
  if (!isRecord(m)) {
    report('', 'message is not an object');
    return problems;
  }
  if (m.text !== undefined) checkString(m.text, 'text', MAX_MESSAGE_TEXT, report);
  let allBlocks: unknown[] = [];
  if (m.blocks !== undefined) allBlocks = checkBlocks(m.blocks, 'blocks', report);
  if (m.attachments !== undefined) {
    const attachments = checkList(m.attachments, 'attachments', MAX_ATTACHMENTS, report);
    attachments.forEach((attachment, i) => {
      const path = `attachments[${i}]`;
      if (!isRecord(attachment)) return report(path, 'is not an object');
      if (attachment.blocks !== undefined) allBlocks = allBlocks.concat(checkBlocks(attachment.blocks, `${path}.blocks`, report));
    });
  }
  const total = blockTextLength(allBlocks);
  if (total > MAX_TOTAL_BLOCK_TEXT) {
    report('blocks', `text of all blocks together is longer than ${MAX_TOTAL_BLOCK_TEXT} characters (${total}); Slack answers msg_blocks_too_long`);
  }
  return problems;
}

/**
 * Characters in every string of the blocks except `type` names: what the undocumented total limit
 * counts, over-estimated. Walks with its own stack, so deeply nested junk cannot overflow the call stack.
 */
export function blockTextLength(value: unknown): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') total += item.length;
    else if (Array.isArray(item)) for (const child of item) pending.push(child);
    else if (isRecord(item)) {
      for (const [key, child] of Object.entries(item)) if (key !== 'type') pending.push(child);
    }
  }
  return total;
}

type Report = (path: string, message: string) => void;

function checkBlocks(blocks: unknown, path: string, report: Report): unknown[] {
  const list = checkList(blocks, path, MAX_BLOCKS_PER_MESSAGE, report);
  list.forEach((block, i) => checkBlock(block, `${path}[${i}]`, report));
  return list;
}

function checkBlock(block: unknown, path: string, report: Report): void {
  if (!isRecord(block)) return report(path, 'is not an object');
  if (typeof block.type !== 'string') return report(`${path}.type`, 'is missing');
  if (block.block_id !== undefined) checkString(block.block_id, `${path}.block_id`, MAX_BLOCK_ID, report);
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) report(path, 'section needs text or fields');
      if (block.text !== undefined) checkTextObject(block.text, `${path}.text`, MAX_SECTION_TEXT, report);
      if (block.fields !== undefined) {
        const fields = checkList(block.fields, `${path}.fields`, MAX_SECTION_FIELDS, report);
        fields.forEach((field, i) => checkTextObject(field, `${path}.fields[${i}]`, MAX_SECTION_FIELD_TEXT, report));
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${path}.accessory`, report);
      return;
    }
    case 'header':
      return checkTextObject(block.text, `${path}.text`, MAX_HEADER_TEXT, report, { plainOnly: true });
    case 'context': {
      const elements = checkList(block.elements, `${path}.elements`, MAX_CONTEXT_ELEMENTS, report, { required: true });
      elements.forEach((element, i) => checkContextElement(element, `${path}.elements[${i}]`, report));
      return;
    }
    case 'actions': {
      const elements = checkList(block.elements, `${path}.elements`, MAX_ACTIONS_ELEMENTS, report, { required: true });
      elements.forEach((element, i) => checkElement(element, `${path}.elements[${i}]`, report));
      checkUniqueActionIds(elements, `${path}.elements`, report);
      return;
    }
    case 'image':
      return checkImage(block, path, report);
    case 'markdown':
      return checkString(block.text, `${path}.text`, MAX_MARKDOWN_BLOCK_TEXT, report, { required: true });
    case 'rich_text':
      checkList(block.elements, `${path}.elements`, Infinity, report, { required: true });
      return;
    default:
      // divider, file, table, video: nothing more we check; anything else is not a message block.
      if (!MESSAGE_BLOCK_TYPES.has(block.type)) report(`${path}.type`, `"${shorten(block.type)}" is not a block type Slack accepts in messages`);
  }
}

function checkContextElement(element: unknown, path: string, report: Report): void {
  if (isRecord(element) && element.type === 'image') return checkImage(element, path, report);
  checkTextObject(element, path, MAX_TEXT_OBJECT, report);
}

function checkImage(image: Record<string, unknown>, path: string, report: Report): void {
  if (image.slack_file === undefined) checkString(image.image_url, `${path}.image_url`, MAX_IMAGE_URL, report, { required: true });
  checkString(image.alt_text, `${path}.alt_text`, MAX_IMAGE_ALT_TEXT, report, { required: true });
}

/** Interactive elements. Buttons and select menus get full checks; other kinds only their common fields. */
function checkElement(element: unknown, path: string, report: Report): void {
  if (!isRecord(element)) return report(path, 'is not an object');
  if (typeof element.type !== 'string') return report(`${path}.type`, 'is missing');
  if (element.action_id !== undefined) checkString(element.action_id, `${path}.action_id`, MAX_ACTION_ID, report);
  if (element.confirm !== undefined) checkConfirm(element.confirm, `${path}.confirm`, report);
  if (element.type === 'button') {
    checkTextObject(element.text, `${path}.text`, MAX_BUTTON_TEXT, report, { plainOnly: true });
    if (element.value !== undefined) checkString(element.value, `${path}.value`, MAX_BUTTON_VALUE, report);
    if (element.url !== undefined) checkString(element.url, `${path}.url`, MAX_BUTTON_URL, report);
    if (element.accessibility_label !== undefined) {
      checkString(element.accessibility_label, `${path}.accessibility_label`, MAX_BUTTON_ACCESSIBILITY_LABEL, report);
    }
  } else if (element.type === 'image') {
    checkImage(element, path, report);
  } else if (element.type.endsWith('_select')) {
    if (element.placeholder !== undefined) {
      checkTextObject(element.placeholder, `${path}.placeholder`, MAX_PLACEHOLDER_TEXT, report, { plainOnly: true });
    }
    if (element.options !== undefined) {
      const options = checkList(element.options, `${path}.options`, MAX_SELECT_OPTIONS, report);
      options.forEach((option, i) => checkOption(option, `${path}.options[${i}]`, report));
    }
  }
}

function checkOption(option: unknown, path: string, report: Report): void {
  if (!isRecord(option)) return report(path, 'is not an object');
  checkTextObject(option.text, `${path}.text`, MAX_OPTION_TEXT, report);
  checkString(option.value, `${path}.value`, MAX_OPTION_VALUE, report, { required: true });
}

function checkConfirm(confirm: unknown, path: string, report: Report): void {
  if (!isRecord(confirm)) return report(path, 'is not an object');
  checkTextObject(confirm.title, `${path}.title`, MAX_CONFIRM_TITLE, report, { plainOnly: true });
  checkTextObject(confirm.text, `${path}.text`, MAX_CONFIRM_TEXT, report);
  checkTextObject(confirm.confirm, `${path}.confirm`, MAX_CONFIRM_BUTTON, report, { plainOnly: true });
  checkTextObject(confirm.deny, `${path}.deny`, MAX_CONFIRM_BUTTON, report, { plainOnly: true });
}

/** Slack rejects an actions block whose elements share an `action_id`. */
function checkUniqueActionIds(elements: unknown[], path: string, report: Report): void {
  const seen = new Set<unknown>();
  elements.forEach((element, i) => {
    if (!isRecord(element) || typeof element.action_id !== 'string') return;
    if (seen.has(element.action_id)) report(`${path}[${i}].action_id`, `"${shorten(element.action_id)}" is used twice in one block`);
    seen.add(element.action_id);
  });
}

/** A text object: `{ type: 'plain_text' | 'mrkdwn', text }` with 1 to `max` characters. */
function checkTextObject(value: unknown, path: string, max: number, report: Report, options: { plainOnly?: boolean } = {}): void {
  if (!isRecord(value)) return report(path, value === undefined ? 'is missing' : 'is not a text object');
  const allowed = options.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
    report(`${path}.type`, `must be ${allowed.join(' or ')}`);
  }
  checkString(value.text, `${path}.text`, max, report, { required: true });
}

function checkString(value: unknown, path: string, max: number, report: Report, options: { required?: boolean } = {}): void {
  if (value === undefined && !options.required) return;
  if (typeof value !== 'string') return report(path, value === undefined ? 'is missing' : 'is not a string');
  if (options.required && value.length === 0) return report(path, 'is empty');
  if (value.length > max) report(path, `longer than ${max} characters (${value.length})`);
}

/** The items of an array field (empty when it is not one, after reporting it). */
function checkList(value: unknown, path: string, max: number, report: Report, options: { required?: boolean } = {}): unknown[] {
  if (!Array.isArray(value)) {
    report(path, value === undefined ? 'is missing' : 'is not an array');
    return [];
  }
  if (options.required && value.length === 0) report(path, 'is empty');
  if (value.length > max) report(path, `more than ${max} items (${value.length})`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Untrusted strings quoted in problem messages are kept short so a problem list stays readable. */
function shorten(text: string): string {
  return cutText(text, 40);
}
