import type { ChildProcess } from 'node:child_process';

/** A TCP port that is free on `host` (default 127.0.0.1) right now. */
export function freePort(host?: string): Promise<number>;

export interface WaitForReadyOptions {
  /** Give up after this long (default 60 000 ms). */
  timeoutMs?: number;
  /** The server process: waiting fails as soon as it exits. */
  proc?: ChildProcess;
  /** The server's output so far, quoted (last 40 lines) in the error. */
  output?: () => string;
  /** What to call the server in the error (default "the server"). */
  name?: string;
  /** Pause between two polls (default 100 ms). */
  intervalMs?: number;
}

/** Polls `<baseUrl>/readyz` until 2xx; resolves with the milliseconds spent waiting. Never kills `proc`. */
export function waitForReady(baseUrl: string, options?: WaitForReadyOptions): Promise<number>;
