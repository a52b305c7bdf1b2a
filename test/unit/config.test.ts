import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DAY, HOUR, MINUTE } from '../helpers/delivery.js';

const valid = {
  SLACK_CLIENT_ID: '1.2',
  SLACK_CLIENT_SECRET: 'secret',
  SLACK_SIGNING_SECRET: 'signing',
  SLACK_STATE_SECRET: 'state',
  HERALD_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.databaseUrl, 'file:./data/herald.db');
    assert.equal(config.slack.apiUrl, 'https://slack.com/api/');
    assert.equal(config.slack.authorizeUrl, 'https://slack.com/oauth/v2/authorize');
    assert.equal(config.logLevel, 'info');
    assert.equal(config.trustProxy, false);
    assert.deepEqual(config.encryptionKey, Buffer.alloc(32, 3));
    assert.deepEqual(config.delivery, { deadlineMs: 24 * HOUR, retentionMs: 7 * DAY });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...valid,
      PORT: '8080',
      PUBLIC_URL: 'https://herald.example.com/',
      DATABASE_URL: 'postgresql://herald@db/herald',
      SLACK_API_URL: 'http://127.0.0.1:3100/api',
      SLACK_AUTHORIZE_URL: 'http://127.0.0.1:3100/oauth/v2/authorize',
      LOG_LEVEL: 'debug',
      TRUST_PROXY: '1',
      DELIVERY_DEADLINE: '90m',
      ALERT_RETENTION: '30d',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, 'https://herald.example.com', 'no trailing slash');
    assert.equal(config.databaseUrl, 'postgresql://herald@db/herald');
    assert.equal(config.slack.apiUrl, 'http://127.0.0.1:3100/api/', 'a trailing slash, as the Web API client needs');
    assert.equal(config.slack.authorizeUrl, 'http://127.0.0.1:3100/oauth/v2/authorize');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.trustProxy, 1);
    assert.deepEqual(config.delivery, { deadlineMs: 90 * MINUTE, retentionMs: 30 * DAY });
    assert.equal(loadConfig({ ...valid, TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ ...valid, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, 'loopback, 10.0.0.0/8');
    assert.equal(loadConfig({ ...valid, PORT: '' }).port, 3000, 'a blank value means unset');
  });

  it('names every bad variable in one error, with how to fix it', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', HERALD_ENCRYPTION_KEY: 'c2hvcnQ=', SLACK_API_URL: 'slack.com/api', LOG_LEVEL: 'loud', ALERT_RETENTION: 'forever' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    assert.ok(error instanceof ConfigError);
    const lines = error.problems;
    assert.deepEqual(
      lines.map((line) => line.split(' ')[0]),
      ['PORT', 'DATABASE_URL', 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_SIGNING_SECRET', 'SLACK_STATE_SECRET', 'HERALD_ENCRYPTION_KEY', 'SLACK_API_URL', 'LOG_LEVEL', 'ALERT_RETENTION'],
    );
    assert.match(error.message, /DATABASE_URL must start with file: \(SQLite\), postgres:\/\/ or postgresql:\/\//);
    assert.match(error.message, /SLACK_CLIENT_ID is not set: the Client ID from your Slack app's Basic Information page/);
    assert.match(error.message, /HERALD_ENCRYPTION_KEY must be 32 bytes encoded as base64 .* generate one with: node -e/);
    assert.match(error.message, /LOG_LEVEL must be one of debug, info, warn, error/);
    assert.match(error.message, /ALERT_RETENTION must be a duration such as 7d, 30d or 12h \(at most 365d\)/);
  });

  it('refuses a retention of no time or of more than a year', () => {
    for (const value of ['0d', '400d', '7 days']) {
      assert.throws(
        () => loadConfig({ ...valid, ALERT_RETENTION: value }),
        (error: unknown) => error instanceof ConfigError && error.problems.length === 1 && /^ALERT_RETENTION must be a duration/.test(error.problems[0] ?? ''),
        value,
      );
    }
  });
});
