// Child processes of the bench (Herald, Alertmanager, the bare node:http server): started, waited for, measured and stopped.
// Everything started registers its clean-up, so a failed or interrupted run leaves nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The last lines it printed (stdout and stderr). */
  output(): string;
  exited(): boolean;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const OUTPUT_KEPT = 20_000;

export function spawnChild(name: string, command: string, args: string[], options: { env: Record<string, string>; cwd?: string }): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name} could not be started (${command})`);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) {
        const what = `${name} (pid ${child.pid}) exited by itself with ${signal ?? `code ${code}`}`;
        unexpectedExits.push(`${what}; its last output: ${lastLines(output)}`);
        console.error(`${what}; its last output:\n${output.slice(-3000)}`);
      }
      resolve();
    }),
  );
  const isExited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    stopping = true;
    if (isExited()) return;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  const handle: Child = { name, pid: child.pid, process: child, output: () => output, exited: isExited, stop };
  onCleanup(() => stop());
  return handle;
}

/** Children that exited without being asked to, with what they last said: each is a finding. */
export const unexpectedExits: string[] = [];

/** The last two lines of a process's output, shortened (pino lines can hold a whole stack). */
function lastLines(output: string): string {
  const lines = output.trim().split('\n').slice(-2);
  return lines.map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join(' / ') || '(nothing)';
}

/** Polls `url` until it answers 2xx; fails early if the child exits. */
export async function waitForHttp(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${child.name} exited before it was ready:\n${child.output()}`);
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${child.name} was not ready at ${url} after ${timeoutMs / 1000} s:\n${child.output()}`);
}

/** A field of /proc/<pid>/status in bytes (VmHWM: peak resident set; VmRSS: current), 0 once gone. */
function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The process and every process it started (a tsx CLI, for one, keeps an esbuild service process). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name is in parentheses and may hold spaces; the parent pid follows the state.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const siblings = children.get(ppid) ?? [];
      siblings.push(Number(entry));
      children.set(ppid, siblings);
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

export interface Memory {
  /** Peak resident set of the main process. */
  peak: number;
  /** Peak of the main process plus the peaks of its descendants (an upper bound of the tree's peak). */
  treePeak: number;
  current: number;
}

export function memoryOf(pid: number): Memory {
  const tree = processTree(pid);
  return {
    peak: statusBytes(pid, 'VmHWM'),
    treePeak: tree.reduce((sum, p) => sum + statusBytes(p, 'VmHWM'), 0),
    current: statusBytes(pid, 'VmRSS'),
  };
}

/** CPU seconds (user + system) used so far by the process and its descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3 (state).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // ended meanwhile
    }
  }
  return ticks / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux platform Node runs on. */
const CLOCK_TICKS = 100;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than null, or returns null after `timeoutMs`. */
export async function pollUntil<T>(check: () => Promise<T | null>, timeoutMs: number, everyMs = 250): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() >= deadline) return null;
    await sleep(everyMs);
  }
}

// Clean-ups run newest first: a Herald stops before its database is dropped.
const cleanups: (() => Promise<void> | void)[] = [];

export function onCleanup(cleanup: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    await cleanup();
  };
  cleanups.push(once);
  return once;
}

export async function cleanUpEverything(): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    try {
      await cleanup?.();
    } catch (error) {
      console.error(`clean-up failed: ${(error as Error).message}`);
    }
  }
}
