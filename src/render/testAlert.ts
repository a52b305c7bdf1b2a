// The sample alert `/herald test` posts, so people can see what Herald's messages look like.
import type { Alert } from '../alerts/alert.js';
import { renderAlertGroup } from './alertMessage.js';
import type { AlertGroupView, SlackMessage } from './types.js';

/** A single firing warning, with the parts a real alert has: text, labels, a link. */
export function testAlertGroup(now: Date, groupId: string, links: Alert['links'] = []): AlertGroupView {
  const alert: Alert = {
    source: 'generic',
    status: 'firing',
    severity: 'warning',
    title: 'Herald test alert',
    text: 'This is a test alert sent with `/herald test`. If you can read this, Herald can post to this channel. Alerts look like this one; try the buttons below.',
    labels: { alertname: 'Herald test alert', severity: 'warning', service: 'herald', environment: 'test' },
    annotations: {},
    links,
    startsAt: now,
    endsAt: null,
    fingerprint: `herald-test-${groupId}`,
    groupKey: `herald-test-${groupId}`,
  };
  return { groupLabels: { alertname: alert.title }, alerts: [alert], status: 'firing', groupId };
}

export function renderTestAlert(now: Date, groupId: string, links: Alert['links'] = []): SlackMessage {
  return renderAlertGroup(testAlertGroup(now, groupId, links));
}
