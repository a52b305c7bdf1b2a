// The App Home's buttons: the view builder puts these action_ids in, the action listeners answer them.
export const HOME_ACTIONS = {
  /** value: the Slack channel ID */
  sendTest: 'home_channel_test',
  /** value: the Slack channel ID */
  removeChannel: 'home_channel_remove',
  /** value: the silence's id */
  expireSilence: 'home_silence_expire',
} as const;
