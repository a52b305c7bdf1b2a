// The rendering layer's public face: alert groups in, Slack messages out. Pure: no I/O, no clock.
export { renderAlertGroup } from './alertMessage.js';
export { renderResolvedReply } from './resolvedReply.js';
export { renderRepeatReply } from './repeatReply.js';
export { renderTestAlert, testAlertGroup } from './testAlert.js';
export { ACTION_IDS, LINK_ACTION_ID_PREFIX, SILENCE_DURATIONS, decodeActionValue } from './actionValues.js';
export type { HeraldAction, SilenceDuration } from './actionValues.js';
export { blockKitProblems, blockTextLength } from './limits.js';
export type { BlockKitProblem } from './limits.js';
export { MAX_GROUP_ID_LENGTH } from './types.js';
export type { AlertGroupView, RenderOptions, SlackMessage } from './types.js';
