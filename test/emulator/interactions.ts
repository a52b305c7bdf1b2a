// A person acting on a message in Slack: finds the element in the message as it stands now (so a button
// the app has since removed cannot be pressed) and builds the block_actions payload Slack sends for it,
// shaped after docs.slack.dev/reference/interaction-payloads/block_actions-payload and @slack/bolt's
// BlockAction type. Sending it, signed, is sendInteraction's job.
import type { EmulatorCore } from './core.js';
import { slackTs } from './ids.js';
import { messageJson } from './slackJson.js';
import type { PressButtonInput } from './types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack gives every block a block_id, generating one when the app gave none; a stable stand-in here. */
function withBlockIds(blocks: unknown[]): unknown[] {
  return blocks.map((block, i) => (isObject(block) && typeof block.block_id !== 'string' ? { ...block, block_id: `emulator-block-${i}` } : block));
}

/** The interactive elements of a block: an actions block's elements, or a section's accessory. */
function elementsOf(block: Json): Json[] {
  if (block.type === 'actions' && Array.isArray(block.elements)) return block.elements.filter(isObject);
  if (block.type === 'section' && isObject(block.accessory)) return [block.accessory];
  return [];
}

interface Found {
  blockId: string;
  element: Json;
}

function findElement(blocks: unknown[], actionId: string, blockId: string | undefined, where: string): Found {
  const all: Found[] = blocks
    .filter(isObject)
    .flatMap((block) => elementsOf(block).map((element) => ({ blockId: String(block.block_id), element })));
  const found = all.find((f) => f.element.action_id === actionId && (blockId === undefined || f.blockId === blockId));
  if (found) return found;
  const present = all.map((f) => String(f.element.action_id)).join(', ') || 'none';
  throw new Error(`${where} has no element with action_id ${actionId}${blockId ? ` in block ${blockId}` : ''} (action_ids: ${present})`);
}

/** A select's options, flattened out of option_groups too. */
function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((group: unknown) => (isObject(group) && Array.isArray(group.options) ? group.options : []))
    : [];
  return [...direct, ...grouped].filter(isObject);
}

/** The entry of `actions[]`: what Slack reports about the element that was used. */
function actionFor(found: Found, input: PressButtonInput, actionTs: string): Json {
  const { element, blockId } = found;
  const base = { type: element.type, action_id: element.action_id, block_id: blockId, action_ts: actionTs };
  if (element.type === 'button') {
    if (input.selectedOptionValue !== undefined) throw new Error(`${input.actionId} is a button: it has no options to pick`);
    // A button with `confirm` shows a dialog first; pressing here means the person confirmed.
    return { ...base, text: element.text, value: input.value ?? element.value, style: element.style, url: element.url };
  }
  if (element.type === 'static_select' || element.type === 'overflow') {
    if (input.value !== undefined) throw new Error(`${input.actionId} is a ${element.type}: pick an option with selectedOptionValue`);
    const options = optionsOf(element);
    const option = options.find((o) => o.value === input.selectedOptionValue);
    if (!option) {
      throw new Error(`${input.actionId} has no option with value ${String(input.selectedOptionValue)} (values: ${options.map((o) => String(o.value)).join(', ')})`);
    }
    const selected = { text: option.text, value: option.value };
    return element.type === 'static_select' ? { ...base, selected_option: selected, placeholder: element.placeholder } : { ...base, selected_option: selected };
  }
  throw new Error(`pressButton does not support ${String(element.type)} elements`);
}

/** The block_actions payload for a person using an element of a message in a channel. Throws when they could not. */
export function blockActionsPayload(core: EmulatorCore, input: PressButtonInput): Json {
  const { state } = core;
  const user = state.requireUser(input.teamId, input.userId);
  const channel = state.requireChannel(input.channel);
  if (channel.teamId !== input.teamId || channel.deleted) throw new Error(`Channel ${channel.id} is not in workspace ${input.teamId}`);
  if (channel.isPrivate && !channel.members.has(user.id)) throw new Error(`${user.id} is not in private channel ${channel.id} and cannot see its messages`);
  const message = state.findMessage(channel.id, input.ts);
  if (!message) throw new Error(`No message ${input.ts} in channel ${channel.id} (deleted, or never posted)`);

  const blocks = withBlockIds(message.blocks ?? []);
  // Elements may sit in the message's blocks or in an attachment's blocks (as Herald's buttons do,
  // for the attachment's coloured bar); Slack sends the same block_actions payload for both.
  const attachmentBlocks = (message.attachments ?? []).filter(isObject).flatMap((attachment) => (Array.isArray(attachment.blocks) ? withBlockIds(attachment.blocks) : []));
  const found = findElement([...blocks, ...attachmentBlocks], input.actionId, input.blockId, `Message ${message.ts}`);
  const action = actionFor(found, input, slackTs(core.options.now()));
  // Stateful elements report their value in state.values as well; a button has none.
  const values = 'selected_option' in action ? { [found.blockId]: { [input.actionId]: { type: action.type, selected_option: action.selected_option } } } : {};
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: input.teamId },
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: channel.id,
      is_ephemeral: false,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    channel: { id: channel.id, name: channel.name },
    message: { ...messageJson(core, message), blocks },
    state: { values },
    actions: [action],
  };
}
