// The few checks Slack makes on message content before accepting it. Slack rejects far more; these are the
// limits an alert renderer can realistically hit, so the emulator fails where Slack would.

export const MAX_TEXT_LENGTH = 40_000;
export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;

const LIMITS = {
  sectionText: 3000,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  buttonValue: 2000,
  blockId: 255,
  actionId: 255,
  actionsElements: 25,
  contextElements: 10,
};

const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

/** Why a block list was refused: Slack's error code plus a hint like its response_metadata.messages. */
export interface BlockProblem {
  error: 'invalid_blocks' | 'invalid_blocks_format';
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === 'string' ? value.text : undefined;
}

function problem(message: string, pointer: string): BlockProblem {
  return { error: 'invalid_blocks', message: `[ERROR] ${message} [json-pointer:${pointer}]` };
}

function checkLength(value: string | undefined, max: number, what: string, pointer: string): BlockProblem | null {
  if (value !== undefined && value.length > max) return problem(`${what} must be at most ${max} characters`, pointer);
  return null;
}

function checkElement(element: unknown, pointer: string): BlockProblem | null {
  if (!isObject(element) || typeof element.type !== 'string') return problem('element must have a type', pointer);
  if (typeof element.action_id === 'string') {
    const tooLong = checkLength(element.action_id, LIMITS.actionId, 'action_id', `${pointer}/action_id`);
    if (tooLong) return tooLong;
  }
  if (element.type === 'button') {
    if (textOf(element.text) === undefined) return problem('button must have text', `${pointer}/text`);
    if (element.value !== undefined && typeof element.value !== 'string') return problem('value must be a string', `${pointer}/value`);
    return checkLength(element.value as string | undefined, LIMITS.buttonValue, 'button value', `${pointer}/value`);
  }
  return null;
}

function checkBlock(block: unknown, pointer: string): BlockProblem | null {
  if (!isObject(block) || typeof block.type !== 'string') return problem('block must have a type', pointer);
  if (!BLOCK_TYPES.has(block.type)) return problem(`unknown block type '${block.type}'`, `${pointer}/type`);
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== 'string') return problem('block_id must be a string', `${pointer}/block_id`);
    const tooLong = checkLength(block.block_id, LIMITS.blockId, 'block_id', `${pointer}/block_id`);
    if (tooLong) return tooLong;
  }
  switch (block.type) {
    case 'section': {
      const text = textOf(block.text);
      const fields = block.fields;
      if (text === undefined && !Array.isArray(fields)) return problem('section must have text or fields', pointer);
      const tooLong = checkLength(text, LIMITS.sectionText, 'section text', `${pointer}/text`);
      if (tooLong) return tooLong;
      if (Array.isArray(fields)) {
        if (fields.length > LIMITS.sectionFields) return problem(`at most ${LIMITS.sectionFields} fields`, `${pointer}/fields`);
        for (const [i, field] of fields.entries()) {
          const fieldText = textOf(field);
          if (fieldText === undefined) return problem('field must be a text object', `${pointer}/fields/${i}`);
          const fieldTooLong = checkLength(fieldText, LIMITS.fieldText, 'field text', `${pointer}/fields/${i}`);
          if (fieldTooLong) return fieldTooLong;
        }
      }
      return block.accessory === undefined ? null : checkElement(block.accessory, `${pointer}/accessory`);
    }
    case 'header': {
      const text = textOf(block.text);
      if (text === undefined) return problem('header must have text', `${pointer}/text`);
      return checkLength(text, LIMITS.headerText, 'header text', `${pointer}/text`);
    }
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) return problem('actions must have elements', pointer);
      if (block.elements.length > LIMITS.actionsElements) return problem('too many elements', `${pointer}/elements`);
      for (const [i, element] of block.elements.entries()) {
        const bad = checkElement(element, `${pointer}/elements/${i}`);
        if (bad) return bad;
      }
      return null;
    }
    case 'context': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) return problem('context must have elements', pointer);
      if (block.elements.length > LIMITS.contextElements) return problem('too many elements', `${pointer}/elements`);
      return null;
    }
    default:
      return null;
  }
}

/** Checks a decoded `blocks` value; null when Slack would accept it. */
export function checkBlocks(blocks: unknown, maxBlocks = MAX_MESSAGE_BLOCKS): BlockProblem | null {
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', message: '[ERROR] blocks must be an array' };
  if (blocks.length > maxBlocks) return problem(`no more than ${maxBlocks} items allowed`, '/blocks');
  for (const [i, block] of blocks.entries()) {
    const bad = checkBlock(block, `/blocks/${i}`);
    if (bad) return bad;
  }
  return null;
}

/** The words a person would see, for the state page: text, else the text found in blocks. */
export function visibleText(text: string | undefined, blocks: unknown[] | undefined): string {
  if (text) return text;
  const parts: string[] = [];
  for (const block of blocks ?? []) {
    if (!isObject(block)) continue;
    const own = textOf(block.text);
    if (own) parts.push(own);
    if (Array.isArray(block.fields)) for (const field of block.fields) parts.push(textOf(field) ?? '');
  }
  return parts.filter(Boolean).join(' · ');
}
