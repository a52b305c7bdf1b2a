// The buttons people act with: Acknowledge, Silence (1h/4h/24h), Resolve.
import type { ActionsBlock, Button, StaticSelect } from '@slack/web-api';
import { ACTION_IDS, SILENCE_DURATIONS, silenceOptionValue, type SilenceDuration } from './actionValues.js';
import { MAX_GROUP_ID_LENGTH, type AlertGroupView } from './types.js';

const SILENCE_LABELS: Record<SilenceDuration, string> = { '1h': '1 hour', '4h': '4 hours', '24h': '24 hours' };

/**
 * None once the group is resolved: there is nothing left to act on. Silence is a select menu rather
 * than three buttons because action ids must be unique within a block and the listener wants one
 * id, `herald_silence`, for all durations.
 */
export function actionButtons(group: AlertGroupView): ActionsBlock | null {
  if (group.status === 'resolved') return null;
  assertGroupIdFits(group.groupId);
  return { type: 'actions', elements: [acknowledgeButton(group), silenceMenu(group), resolveButton(group)] };
}

function acknowledgeButton(group: AlertGroupView): Button {
  return {
    type: 'button',
    action_id: ACTION_IDS.acknowledge,
    text: { type: 'plain_text', text: 'Acknowledge', emoji: true },
    value: group.groupId,
    ...(group.acknowledged ? {} : { style: 'primary' as const }),
  };
}

function silenceMenu(group: AlertGroupView): StaticSelect {
  return {
    type: 'static_select',
    action_id: ACTION_IDS.silence,
    placeholder: { type: 'plain_text', text: 'Silence…', emoji: true },
    options: SILENCE_DURATIONS.map((duration) => ({
      text: { type: 'plain_text', text: `Silence ${SILENCE_LABELS[duration]}`, emoji: true },
      value: silenceOptionValue(duration, group.groupId),
    })),
  };
}

function resolveButton(group: AlertGroupView): Button {
  return {
    type: 'button',
    action_id: ACTION_IDS.resolve,
    text: { type: 'plain_text', text: 'Resolve', emoji: true },
    value: group.groupId,
    style: 'danger',
    confirm: {
      title: { type: 'plain_text', text: 'Resolve this alert group?' },
      text: { type: 'plain_text', text: 'The message turns green and its buttons go away. Alerts that fire again start a new message.' },
      confirm: { type: 'plain_text', text: 'Resolve' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    },
  };
}

/** Group ids are Herald's own (short) ids; a long one is a bug upstream, not something to render around. */
function assertGroupIdFits(groupId: string): void {
  if (groupId === '' || groupId.length > MAX_GROUP_ID_LENGTH) {
    throw new RangeError(`groupId must be 1 to ${MAX_GROUP_ID_LENGTH} characters, got ${groupId.length}`);
  }
}
