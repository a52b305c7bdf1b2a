// `POST /alerts/slack`: the JSON body of a Slack incoming webhook (`text`, `blocks`,
// `attachments`), so that any tool able to post to Slack (Amplitude monitors, W&B's legacy Slack
// payloads, "Slack webhook" integrations) can post to Herald unchanged. One body is one alert.
//
// The rules, since a chat message has no structured status or severity:
// - title: the first attachment's `title`, else the first line of `text`, of the first block with
//   text, of the first attachment's `pretext`, `fallback` or `text`.
// - text: `text` and each attachment's `pretext` and `text`, without the part used as the title.
// - status: "resolved" when the title says "resolved" or "recovered", or an attachment is green
//   (`good` or a green hex colour); "firing" otherwise.
// - severity: the first attachment colour that means something (`danger`/red → critical,
//   `warning`/orange/yellow → warning, `good`/green → info), else the most severe of the words
//   critical, fatal, emergency, error, warning in the title and text, else warning.
// - labels: `alertname`, the title without a leading state marker ("✅ Resolved: …"), so that the
//   firing and the resolved message of one problem share fingerprint and group.
// - annotations: the attachments' `fields` (title → value) and `footer`.
// - links: the first attachment `title_link` ("Source").
// - `blocks` and `attachments` are kept in `alert.slack` exactly as sent, after checking them
//   against Block Kit's limits so that Herald never accepts a message Slack would refuse.
// `username`, `icon_emoji`, `icon_url` and `channel` are accepted and ignored.

import { z } from 'zod';
import type { Alert, ParsedPayload, Severity } from '../../alerts/alert.js';
import { groupKeyFor, labelsFingerprint } from '../../alerts/fingerprint.js';
import { blockKitProblems } from '../../render/limits.js';
import { BODY_PATH, PayloadError } from '../payloadError.js';
import { collectLinks } from './shared/links.js';
import { labelValue, optionalString, scalarAsString } from './shared/schemas.js';
import { DEFAULT_SEVERITY, colourFamily, severityFromColour, severityInText } from './shared/severity.js';
import { saysResolved, withoutStatusMarker } from './shared/statusWords.js';
import { firstLine, firstNonBlank } from './shared/text.js';
import { alertTimes } from './shared/times.js';
import { refuseIfAny, validateBody } from './shared/validate.js';

const attachmentField = z.looseObject({
  title: optionalString,
  value: scalarAsString(labelValue).optional(),
  short: z.boolean().nullish(),
});

const attachment = z.looseObject({
  color: optionalString,
  title: optionalString,
  title_link: optionalString,
  text: optionalString,
  pretext: optionalString,
  fallback: optionalString,
  footer: scalarAsString(labelValue).optional(),
  fields: z.array(attachmentField).nullish(),
});
type Attachment = z.output<typeof attachment>;

const slackMessage = z.looseObject({
  text: optionalString,
  // Block Kit is checked by blockKitProblems, which knows every block type's rules.
  blocks: z.array(z.unknown()).nullish(),
  attachments: z.array(attachment).nullish(),
});

/** The message as sent, unknown fields and all, for the Block Kit checker and `alert.slack`. */
interface RawSlackMessage {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** The sender's own values (validated already), leaving out the fields that are null or missing. */
function rawMessage(body: Record<string, unknown>): RawSlackMessage {
  const raw: RawSlackMessage = {};
  if (typeof body.text === 'string') raw.text = body.text;
  if (Array.isArray(body.blocks)) raw.blocks = body.blocks;
  if (Array.isArray(body.attachments)) raw.attachments = body.attachments;
  return raw;
}

export function parseSlack(body: unknown, now: Date): ParsedPayload {
  const message = validateBody(slackMessage, body);
  const attachments = message.attachments ?? [];
  const blocks = message.blocks ?? [];
  if (message.text.trim() === '' && blocks.length === 0 && attachments.length === 0) {
    throw new PayloadError([{ path: BODY_PATH, message: 'needs "text", "blocks" or "attachments"' }]);
  }
  const raw = rawMessage(body as Record<string, unknown>);
  refuseIfAny(
    blockKitProblems(raw).map((problem) => ({
      path: problem.path || BODY_PATH,
      message: problem.message,
    })),
  );
  return { alerts: [alertFromSlackMessage(message.text, blocks, attachments, raw, now)], truncatedAlerts: 0, externalURL: null };
}

function alertFromSlackMessage(
  messageText: string,
  blocks: unknown[],
  attachments: Attachment[],
  raw: RawSlackMessage,
  now: Date,
): Alert {
  const first = attachments[0];
  const title =
    firstLine(
      firstNonBlank(first?.title, messageText, firstBlockText(blocks), first?.pretext, first?.fallback, first?.text) ?? '',
    ) || 'Slack message';
  const text = [messageText, ...attachments.flatMap((a) => [a.pretext, a.text])]
    .filter((part) => part.trim() !== '' && part.trim() !== title)
    .join('\n\n');
  const green = attachments.some((a) => colourFamily(a.color) === 'green');
  const status = green || saysResolved(title) ? 'resolved' : 'firing';
  const labels = { alertname: withoutStatusMarker(title) };
  return {
    source: 'slack',
    status,
    severity: severityOf(attachments, `${title}\n${text}`),
    title,
    text,
    labels,
    annotations: annotationsOf(attachments),
    links: collectLinks([['Source', attachments.find((a) => a.title_link !== '')?.title_link]]),
    ...alertTimes(status, { startsAt: null, endsAt: null }, now),
    fingerprint: labelsFingerprint(labels),
    groupKey: groupKeyFor({ title: labels.alertname }),
    slack: keptAsSent(raw),
  };
}

/** `blocks` and `attachments` as sent; a field the sender left out stays out. */
function keptAsSent({ text: _text, ...blocksAndAttachments }: RawSlackMessage): NonNullable<Alert['slack']> {
  return blocksAndAttachments;
}

function severityOf(attachments: Attachment[], words: string): Severity {
  for (const { color } of attachments) {
    const severity = severityFromColour(color);
    if (severity !== undefined) return severity;
  }
  return severityInText(words) ?? DEFAULT_SEVERITY;
}

/** Attachment fields by title (the first of a title wins), and the first footer. */
function annotationsOf(attachments: Attachment[]): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const { fields, footer } of attachments) {
    for (const field of fields ?? []) {
      if (field.title.trim() === '' || field.value === undefined || Object.hasOwn(annotations, field.title)) continue;
      annotations[field.title] = field.value;
    }
    if (footer !== undefined && footer !== '' && !Object.hasOwn(annotations, 'footer')) annotations.footer = footer;
  }
  return annotations;
}

/** The text of the first block that has one (`section` and `header` blocks: `text.text`). */
function firstBlockText(blocks: unknown[]): string | undefined {
  for (const block of blocks) {
    const text = isRecord(block) && isRecord(block.text) ? block.text.text : undefined;
    if (typeof text === 'string' && text.trim() !== '') return text;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
