import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnownBlock } from '@slack/types';
import { blockKitProblems } from '../../src/render/index.js';
import { MAX_HOME_BLOCKS, MAX_SILENCES_SHOWN, appHomeView, type HomeInput } from '../../src/slack/views/appHome.js';
import { HOME_ACTIONS } from '../../src/slack/views/homeActions.js';

const now = new Date('2026-03-01T12:00:00Z');

/** Every Block Kit limit each block breaks; the view as a whole is held to the home tab's 100 blocks. */
function viewProblems(blocks: KnownBlock[]): string[] {
  const perBlock = blocks.flatMap((block, i) => blockKitProblems({ blocks: [block] }).map((p) => `${p.path.replace('blocks[0]', `blocks[${i}]`)}: ${p.message}`));
  return blocks.length > MAX_HOME_BLOCKS ? [`${blocks.length} blocks`, ...perBlock] : perBlock;
}

const actionIds = (blocks: KnownBlock[]): string[] =>
  blocks.flatMap((block) => {
    if (block.type === 'actions') return block.elements.map((element) => ('action_id' in element ? String(element.action_id) : ''));
    if (block.type === 'section' && block.accessory && 'action_id' in block.accessory) return [String(block.accessory.action_id)];
    return [];
  });

const textOf = (blocks: KnownBlock[]): string => JSON.stringify(blocks);

function fullConfiguration(): HomeInput {
  const long = (prefix: string, length: number) => `${prefix}${'x'.repeat(length - prefix.length)}`;
  return {
    channels: Array.from({ length: 20 }, (_, i) => ({
      channelId: `C${String(i).padStart(8, '0')}`,
      name: long(`channel-${i}-`, 80),
      filters: `severity>=error team=~"${long('db|', 300)}"`,
      mutedUntil: i % 2 ? new Date(now.getTime() + 3_600_000) : null,
      lastDeliveryAt: new Date(now.getTime() - i * 60_000),
      lastError: i % 3 ? null : 'not_in_channel',
      brokenAt: i % 5 ? null : now,
      brokenReason: i % 5 ? null : 'channel_not_found',
      groupBy: i % 2 ? null : Array.from({ length: 20 }, (_, n) => long(`label_${n}_`, 30)).join(','),
      groupWaitSeconds: i % 2 ? null : 30,
      groupIntervalSeconds: i % 2 ? null : 300,
      repeatIntervalSeconds: i % 2 ? null : 30 * 24 * 3600,
    })),
    tokens: Array.from({ length: 30 }, (_, i) => ({
      name: long(`token-${i}-`, 40),
      prefix: 'hrld_ab12…',
      createdBy: 'U0ADMIN',
      createdAt: now,
      lastUsedAt: i % 2 ? now : null,
      signingSecret: i % 2 ? 'v1.sealed' : null,
      allowedNetworks: '10.0.0.0/8,2001:db8::/32',
      silenceWriteBack: i % 2 === 0,
    })),
    silences: Array.from({ length: 60 }, (_, i) => ({
      id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
      matchers: long(`alertname=Disk${i},env=~"`, 400) + '"',
      comment: long('replacing disks ', 500),
      createdBy: 'U0ADMIN',
      endsAt: new Date(now.getTime() + 7_200_000),
    })),
    canConfigure: true,
    now,
  };
}

describe('App Home view', () => {
  it('shows getting started, and no buttons, when nothing is set up', () => {
    const view = appHomeView({ channels: [], tokens: [], silences: [], canConfigure: true, now });
    assert.equal(view.type, 'home');
    assert.deepEqual(viewProblems(view.blocks), []);
    const text = textOf(view.blocks);
    assert.match(text, /Getting started/);
    assert.match(text, /\/herald token create prometheus/);
    assert.match(text, /No alert channels yet/);
    assert.match(text, /No tokens yet/);
    assert.match(text, /No active silences/);
    assert.match(text, /Nothing delivered yet/);
    assert.deepEqual(actionIds(view.blocks), []);
  });

  it('shows the largest configuration within the home tab’s limits, with every button', () => {
    const input = fullConfiguration();
    const view = appHomeView({ ...input, notice: ':white_check_mark: Removed <#C1>.' });
    assert.deepEqual(viewProblems(view.blocks), []);
    assert.ok(view.blocks.length <= MAX_HOME_BLOCKS, `${view.blocks.length} blocks`);
    const ids = actionIds(view.blocks);
    assert.equal(ids.filter((id) => id === HOME_ACTIONS.sendTest).length, 20);
    assert.equal(ids.filter((id) => id === HOME_ACTIONS.removeChannel).length, 20);
    assert.equal(ids.filter((id) => id === HOME_ACTIONS.expireSilence).length, MAX_SILENCES_SHOWN);
    const text = textOf(view.blocks);
    assert.match(text, /Alert channels \(20\/20\)/);
    assert.match(text, /and 35 more: `\/herald silence list`/);
    assert.match(text, /and \d+ more: `\/herald token list`/);
    assert.match(text, /Failing channels/);
    assert.match(text, /Removed <#C1>/);
    assert.doesNotMatch(text, /Getting started/);
    // The ten most recent deliveries, newest first.
    const recent = view.blocks.find((block) => block.type === 'section' && block.text?.text.startsWith('• <#C00000000>'));
    assert.ok(recent && recent.type === 'section');
    assert.equal(recent.text?.text.split('\n').length, 10);
  });

  it('shows the configuration without buttons to people who may not change it', () => {
    const view = appHomeView({ ...fullConfiguration(), canConfigure: false });
    assert.deepEqual(actionIds(view.blocks), []);
    assert.deepEqual(viewProblems(view.blocks), []);
  });

  it('asks before removing a channel', () => {
    const view = appHomeView({ ...fullConfiguration(), channels: fullConfiguration().channels.slice(0, 1) });
    const actions = view.blocks.find((block) => block.type === 'actions');
    assert.ok(actions && actions.type === 'actions');
    const remove = actions.elements.find((element) => 'action_id' in element && element.action_id === HOME_ACTIONS.removeChannel);
    assert.ok(remove && remove.type === 'button' && remove.confirm);
    assert.equal(remove.value, 'C00000000');
  });
});
