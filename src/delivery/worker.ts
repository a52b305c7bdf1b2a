// The delivery worker: a loop that plans (files alerts into groups, evaluates groups due) and sends
// what the outbox holds, one call at a time per channel, many channels at once. Several Herald
// processes may run it on one database: plans are serialized, channels are leased (claim.ts).
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import type { Database, OutboxMessage } from '../db/database.js';
import type { Logger } from '../log.js';
import type { Metrics, OutboxStats } from '../observability/metrics.js';
import type { BotTokens } from './botTokens.js';
import { claimChannels } from './claim.js';
import { nextDueAt } from './nextDue.js';
import { planLimits, planNextBatch } from './planner.js';
import { sendOutboxRow } from './sender.js';
import { expireOverdue, settleDelivery, type Settlement, type SettleOptions } from './settle.js';

export interface WorkerOptions {
  /** Minimum time between two calls to one channel. Default 1 s, Slack's pace for chat.postMessage. */
  paceMs: number;
  /** Give up on a Slack call this long after it was queued. Default 24 h. */
  deadlineMs: number;
  /** How often the database is looked at when nothing woke the worker. */
  pollMs: number;
  /**
   * How long a claimed channel stays this process's if it dies mid-call: another process takes it
   * over after this. While a call of this process is in flight, its lease is renewed (heartbeat).
   */
  leaseMs: number;
  /** Channels sent to at once by this process. */
  concurrency: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { paceMs: 1_000, deadlineMs: 24 * 60 * 60_000, pollMs: 250, leaseMs: 15_000, concurrency: 20 };

export interface WorkerDeps {
  database: Database;
  slack: WebClient;
  tokens: BotTokens;
  metrics: Metrics;
  log: Logger;
  deactivate: SettleOptions['deactivate'];
  now?: () => Date;
}

const SWEEP_EVERY_MS = 60_000;
/**
 * Planning time per tick: a backlog is filed a batch at a time, and after this long the tick moves
 * on to sending; while a backlog is left, the next tick (MIN_TICK_MS after this one began) goes on.
 * While filing is behind (planner.ts), the whole tick: batches then go back to back, each followed
 * by the requests waiting. (At half the peak of 100-alert requests on SQLite, half of each tick
 * filed less than came in, and the backlog grew until catch-up batches held the writer 37–72 ms.)
 */
const PLAN_BUDGET_MS = 100;
/**
 * Ticks are at least this far apart, however often ingest wakes the worker: under a flood of
 * requests, planning then takes its share of the thread in batches instead of after every commit.
 */
const MIN_TICK_MS = 200;

export class DeliveryWorker {
  readonly owner = randomUUID();
  readonly #options: WorkerOptions;
  readonly #now: () => Date;
  readonly #sending = new Set<Promise<void>>();
  /** Channels this process is sending to now. Claiming one again only renews its lease. */
  readonly #busyChannels = new Set<string>();
  #running: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;
  #woken = false;
  #lastSweep = 0;
  /** The most alerts one of ingest's commits held since the last planning batch began (planLimits). */
  #largestCommitSincePlan = 0;
  /** The last batch said filing is behind (planner.ts). */
  #behind = false;
  /** When ingest last committed (Date.now()). */
  #lastCommitAt = 0;
  #heartbeat: NodeJS.Timeout | null = null;
  /** Channels' next calls, due when their pace allows (#sendAgainAt). */
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly deps: WorkerDeps,
    options: Partial<WorkerOptions> = {},
  ) {
    this.#options = { ...DEFAULT_WORKER_OPTIONS, ...options };
    this.#now = deps.now ?? (() => new Date());
    deps.metrics.watchOutbox(() => this.outboxStats());
  }

  start(): void {
    this.#running ??= this.#loop();
    // Renewed three times per lease, so one late beat (a busy event loop, a slow database) does not lose it.
    this.#heartbeat ??= setInterval(() => void this.#renewLeases(), this.#options.leaseMs / 3);
    this.#heartbeat.unref();
  }

  /** Something changed (alerts accepted, a button pressed): look at the database now. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Ingest committed `alerts` new alerts in one transaction: file them now. */
  accepted(alerts: number): void {
    this.#lastCommitAt = Date.now();
    this.#largestCommitSincePlan = Math.max(this.#largestCommitSincePlan, alerts);
    this.wake();
  }

  /** Stops claiming; waits for the calls in flight to settle, so no lease is left behind. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#running;
    for (const timer of this.#timers) clearTimeout(timer);
    await Promise.all(this.#sending);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }

  /** Keeps the leases of the channels this process is sending to, so no other process takes over a live (slow) call. */
  async #renewLeases(): Promise<void> {
    if (this.#busyChannels.size === 0) return;
    const until = new Date(this.#now().getTime() + this.#options.leaseMs);
    await this.deps.database.prisma.channel
      .updateMany({ where: { id: { in: [...this.#busyChannels] }, leaseOwner: this.owner }, data: { leaseUntil: until } })
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message }, 'could not renew channel leases (database away?)'));
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      const started = Date.now();
      try {
        if (await this.#tick()) this.#woken = true; // a backlog is left: no poll wait
      } catch (error) {
        // The database is away (restarting, unreachable): try again at the next poll; nothing is lost,
        // since every step is a transaction that either happened or will be done again.
        this.deps.log.warn({ err: (error as Error).message }, 'delivery could not reach the database; retrying');
      }
      if (this.#stopping) break;
      if (!this.#woken) {
        const idle = await this.#untilNextDue();
        if (!this.#woken) await this.#sleep(idle); // a wake during that query is not lost
      }
      // Woken during the tick (between its batches) or while sleeping: the next tick still waits its turn.
      const rest = Math.min(MIN_TICK_MS, this.#options.pollMs) - (Date.now() - started);
      if (rest > 0 && !this.#stopping) await new Promise((resolve) => setTimeout(resolve, rest)); // not cut short by wakes
    }
  }

  /** One round of planning and claiming; true when planning left a backlog for the next tick. */
  async #tick(): Promise<boolean> {
    const now = this.#now();
    let backlog = false;
    const planUntil = Date.now() + (this.#behind ? MIN_TICK_MS : PLAN_BUDGET_MS);
    while (!this.#stopping) {
      const limits = planLimits(this.deps.database.provider, this.#largestCommitSincePlan, { behind: this.#behind, sinceCommitMs: Date.now() - this.#lastCommitAt });
      this.#largestCommitSincePlan = 0;
      const plan = await planNextBatch(this.deps.database, this.#now(), limits);
      backlog = plan?.more ?? false;
      this.#behind = plan?.behind ?? false;
      if (!backlog || Date.now() >= planUntil) break;
      // Between batches the requests waiting on the thread are answered, and on SQLite ingest's
      // commits waiting for the writer go first: their latency is one batch, not the whole backlog.
      await setImmediate();
    }
    if (now.getTime() - this.#lastSweep >= SWEEP_EVERY_MS) {
      this.#lastSweep = now.getTime();
      const expired = await expireOverdue(this.deps.database, now, this.#options.deadlineMs);
      if (expired > 0) {
        this.deps.metrics.deadLetters.inc({ reason: 'deadline_passed' }, expired);
        this.deps.log.warn({ expired }, 'Slack calls passed their deadline undelivered (broken channels?) and were dead-lettered');
      }
    }
    if (this.#stopping) return false;
    await this.#claimAndSend();
    return backlog;
  }

  async #claimAndSend(): Promise<void> {
    const free = this.#options.concurrency - this.#sending.size;
    const channels = await claimChannels(this.deps.database, this.owner, this.#now(), this.#options.leaseMs, free);
    for (const channelRowId of channels) this.#startSending(channelRowId);
  }

  /**
   * After a call went out, the channel's next call goes when its pace allows, not at the next tick
   * (up to a poll or a tick later): in a storm every channel's calls then come a pace apart. If the
   * channel has nothing waiting by then, or another process holds it, the claim finds nothing.
   */
  #sendAgainAt(channelRowId: string, at: Date): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#stopping || this.#busyChannels.has(channelRowId) || this.#sending.size >= this.#options.concurrency) return; // the next tick claims it
      claimChannels(this.deps.database, this.owner, this.#now(), this.#options.leaseMs, 1, channelRowId)
        .then((claimed) => claimed.forEach((id) => this.#startSending(id)))
        .catch(() => undefined); // the database away: the next tick claims it
    }, Math.max(0, at.getTime() - this.#now().getTime()));
    timer.unref(); // stop() clears them; they never hold the process open
    this.#timers.add(timer);
  }

  #startSending(channelRowId: string): void {
    if (this.#busyChannels.has(channelRowId)) return; // a slow call: its lease was just renewed
    this.#busyChannels.add(channelRowId);
    const sending = this.#sendNext(channelRowId)
      .catch(async (error: unknown) => {
        this.deps.log.error({ err: (error as Error).message, channelRowId }, 'delivery to a channel failed unexpectedly (database away?); it is retried');
        await this.#release(channelRowId).catch(() => undefined); // else the lease expires by itself
      })
      .finally(() => {
        this.#busyChannels.delete(channelRowId);
        this.#sending.delete(sending);
        this.wake();
      });
    this.#sending.add(sending);
  }

  /** Sends the first row waiting for a channel this process holds, and settles it. */
  async #sendNext(channelRowId: string): Promise<void> {
    const { database } = this.deps;
    const row = await database.prisma.outboxMessage.findFirst({ where: { channelRowId, deadAt: null }, orderBy: { id: 'asc' }, include: { channel: true } });
    if (!row) return this.#release(channelRowId);
    const calledAt = this.#now();
    const result = await sendOutboxRow({ db: database.prisma, slack: this.deps.slack, tokens: this.deps.tokens, log: this.deps.log, now: this.#now }, row, row.channel.channelId);
    const now = this.#now();
    const settlement = await settleDelivery(database, row, result, now, { paceMs: this.#options.paceMs, deadlineMs: this.#options.deadlineMs, deactivate: this.deps.deactivate }, calledAt);
    this.#record(row, settlement, now);
    if (settlement.fate === 'sent') this.#sendAgainAt(channelRowId, new Date(calledAt.getTime() + this.#options.paceMs));
  }

  async #release(channelRowId: string): Promise<void> {
    await this.deps.database.prisma.channel.updateMany({ where: { id: channelRowId, leaseOwner: this.owner }, data: { leaseOwner: null, leaseUntil: null } });
  }

  #record(row: OutboxMessage, settlement: Settlement, now: Date): void {
    const { metrics, log } = this.deps;
    const where = { outboxId: row.id, kind: row.kind, installationId: row.installationId, channelRowId: row.channelRowId };
    switch (settlement.fate) {
      case 'sent':
        metrics.notificationsSent.inc({ kind: row.kind });
        if (row.alertReceivedAt) metrics.deliveryLatency.observe((now.getTime() - row.alertReceivedAt.getTime()) / 1000);
        return;
      case 'retry':
        metrics.notificationsFailed.inc({ reason: settlement.reason });
        metrics.deliveryRetries.inc();
        if (settlement.rateLimited) metrics.slackRateLimited.inc();
        log.debug({ ...where, reason: settlement.reason }, 'Slack call will be retried');
        return;
      case 'dead':
        metrics.notificationsFailed.inc({ reason: settlement.reason });
        metrics.deadLetters.inc({ reason: settlement.reason });
        log.error({ ...where, reason: settlement.reason }, 'Slack call given up (dead-lettered)');
        return;
      case 'channel_broken':
        metrics.notificationsFailed.inc({ reason: settlement.reason });
        log.warn({ ...where, reason: settlement.reason }, 'channel marked broken: deliveries to it wait until it is added again');
        return;
      case 'installation_gone':
        metrics.notificationsFailed.inc({ reason: settlement.reason });
        log.warn({ ...where, reason: settlement.reason }, 'Slack refused the workspace token: installation deactivated');
        return;
    }
  }

  async outboxStats(): Promise<OutboxStats> {
    const db = this.deps.database.prisma;
    try {
      const [pending, oldest, dead] = await Promise.all([
        db.outboxMessage.count({ where: { deadAt: null } }),
        db.outboxMessage.findFirst({ where: { deadAt: null }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
        db.outboxMessage.count({ where: { deadAt: { not: null } } }),
      ]);
      const age = oldest ? Math.max(0, (this.#now().getTime() - oldest.createdAt.getTime()) / 1000) : 0;
      return { pending, oldestPendingAgeSeconds: age, dead };
    } catch {
      return { pending: NaN, oldestPendingAgeSeconds: NaN, dead: NaN }; // database away: /metrics still answers
    }
  }

  /**
   * How long to sleep: until the next group falls due (group_wait, group_interval), when that comes
   * before the next poll. Without it a storm's first messages would also wait for a poll.
   */
  async #untilNextDue(): Promise<number> {
    const { pollMs } = this.#options;
    const now = this.#now();
    const next = await nextDueAt(this.deps.database).catch(() => null); // the database away: poll as usual
    return next === null ? pollMs : Math.min(pollMs, Math.max(0, next.getTime() - now.getTime()));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
