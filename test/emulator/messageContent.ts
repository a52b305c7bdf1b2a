// The content part of a message (text, blocks, attachments, metadata), read and checked the same way for
// chat.postMessage, chat.update, chat.postEphemeral, incoming webhooks and response_urls.
import { type Args, fail, jsonArg } from './args.js';
import { MAX_TEXT_LENGTH, checkBlocks } from './blockKit.js';

export interface MessageContent {
  /** Each field is undefined when not given, so chat.update can keep what was there. */
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  metadata: unknown;
}

function isEmpty(list: unknown[] | undefined): boolean {
  return list === undefined || list.length === 0;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Message metadata: `{ event_type: string, event_payload: object }`, as Slack requires; anything else is invalid_metadata_format. */
function readMetadata(args: Args): unknown {
  const metadata = jsonArg(args, 'metadata', 'invalid_metadata_format');
  if (metadata === undefined) return undefined;
  if (!isObject(metadata) || typeof metadata.event_type !== 'string' || metadata.event_type === '' || !isObject(metadata.event_payload)) fail('invalid_metadata_format');
  return metadata;
}

export function readMessageContent(args: Args): MessageContent {
  const rawText = args.text;
  const text = typeof rawText === 'string' && rawText !== '' ? rawText : undefined;
  if (text !== undefined && text.length > MAX_TEXT_LENGTH) fail('msg_too_long');

  const blocks = jsonArg(args, 'blocks', 'invalid_blocks_format');
  if (blocks !== undefined) {
    const problem = checkBlocks(blocks);
    if (problem) fail(problem.error, { response_metadata: { messages: [problem.message] } });
  }

  const attachments = jsonArg(args, 'attachments', 'invalid_attachments');
  if (attachments !== undefined && !Array.isArray(attachments)) fail('invalid_attachments');

  const content: MessageContent = {
    text,
    blocks: blocks as unknown[] | undefined,
    attachments: attachments as unknown[] | undefined,
    metadata: readMetadata(args),
  };
  if (content.text === undefined && isEmpty(content.blocks) && isEmpty(content.attachments)) fail('no_text');
  return content;
}
