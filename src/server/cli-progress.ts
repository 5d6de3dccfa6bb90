/**
 * Progress of a background job on the terminal, shared by `simpul dedup` and `simpul import`.
 *
 * On a terminal one line is redrawn in place. In a pipe or a log file a redrawn line would be a
 * mess of carriage returns, so there it prints plain lines instead: one when a phase starts or
 * ends and one every few seconds between, so a long run leaves a log a person can read.
 */
import type { AppContext } from './platform/context.ts';
import type { JobHandler, JobProgress, JobProgressView } from './platform/jobs.ts';

export interface ProgressOutput {
  tty: boolean;
  /** Terminal width: a redrawn line longer than this would wrap and no longer be redrawn. */
  columns?: number;
  /** A redraw of the current line (terminal only). */
  redraw(text: string): void;
  /** A whole line. */
  line(text: string): void;
}

export const terminalOutput = (): ProgressOutput => ({
  tty: !!process.stdout.isTTY,
  columns: process.stdout.columns,
  redraw: (text) => process.stdout.write(text),
  // console.log rather than stdout.write: the tests capture what the commands print through it.
  line: (text) => console.log(text),
});

const clock = (seconds: number | null) => (seconds === null ? '?' : seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`);

const rateText = (perSecond: number) => (perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toFixed(1));

export interface ProgressPrinterOptions {
  /** What `done` counts, for the pace ("rows" → "95 rows/s"); without it the pace reads "95/s". */
  unit?: string;
  out?: ProgressOutput;
  now?: () => number;
  /** Plain output: the longest gap between two lines within a phase. */
  everyMs?: number;
}

export class ProgressPrinter {
  private readonly out: ProgressOutput;
  private readonly now: () => number;
  private readonly unit: string;
  private readonly everyMs: number;
  readonly startedAt: number;
  private phase: { name: string; at: number; done: number } | null = null;
  private last = { at: 0, phase: '', done: -1 };
  private drawn = false;
  private closed = false;

  constructor(opts: ProgressPrinterOptions = {}) {
    this.out = opts.out ?? terminalOutput();
    this.now = opts.now ?? Date.now;
    this.unit = opts.unit ? ` ${opts.unit}` : '';
    this.everyMs = opts.everyMs ?? 5000;
    this.startedAt = this.now();
  }

  /** Seconds since the printer was made, for the summary. */
  elapsed(): string {
    return ((this.now() - this.startedAt) / 1000).toFixed(1);
  }

  update(p: JobProgressView): void {
    if (this.closed) return;
    const now = this.now();
    const newPhase = this.phase?.name !== p.phase;
    if (newPhase) this.phase = { name: p.phase, at: now, done: p.done };
    const text = this.format(p, now);
    if (this.out.tty) {
      // A few redraws a second are enough to look alive, and cheap over a slow SSH link.
      if (!newPhase && now - this.last.at < 200) return;
      const width = Math.max(20, (this.out.columns || 80) - 1);
      this.out.redraw(`\r${text.slice(0, width)}\x1b[K`);
      this.drawn = true;
    } else {
      const phaseEnd = p.total !== null && p.done === p.total && !(this.last.phase === p.phase && this.last.done === p.done);
      if (!newPhase && !phaseEnd && now - this.last.at < this.everyMs) return;
      this.out.line(text);
    }
    this.last = { at: now, phase: p.phase, done: p.done };
  }

  /** Ends the redrawn line so what is printed next starts on a line of its own; later updates are ignored. */
  end(): void {
    if (this.drawn) this.out.redraw('\n');
    this.drawn = false;
    this.closed = true;
  }

  private format(p: JobProgressView, now: number): string {
    const since = this.phase!;
    const seconds = (now - since.at) / 1000;
    // The pace of this phase only: phases count different things (rows read, pairs compared).
    const pace = seconds >= 1 && p.done > since.done ? `, ${rateText((p.done - since.done) / seconds)}${this.unit}/s` : '';
    const elapsed = ((now - this.startedAt) / 1000).toFixed(1).padStart(6);
    // A phase that has finished has no time left, even one too short to have measured a pace.
    const eta = p.total !== null && p.done >= p.total ? 0 : p.etaSeconds;
    return `[${elapsed} s] ${p.phase.padEnd(10)} ${p.done}${p.total === null ? '' : `/${p.total}  time left ${clock(eta)}`}${pace}`;
  }
}

/**
 * Works jobs in this process and shows one job's progress until it ends.
 *
 * The progress comes from the job's own reports, as they are made: the handlers are registered
 * through a view of the queue that passes each report on. Sampling it on a timer would not do: on
 * the embedded database a query completes without yielding to timers, so a timer set beside a
 * running import does not fire until the import ends.
 */
export class JobFollower {
  /** The context to register the handlers with and to start the work in. */
  readonly ctx: AppContext;
  private watched: { jobId: number; printer: ProgressPrinter } | null = null;

  constructor(private readonly base: AppContext) {
    const jobs = new Proxy(base.jobs, {
      get: (target, prop) => {
        if (prop === 'register') {
          return <P>(kind: string, handler: JobHandler<P>) =>
            target.register<P>(kind, {
              ...handler,
              run: (job) =>
                handler.run({
                  ...job,
                  progress: (p) => {
                    job.progress(p);
                    this.reported(job.id, p);
                  },
                }),
            });
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    this.ctx = { ...base, jobs };
  }

  private reported(jobId: number, p: JobProgress) {
    const w = this.watched;
    if (w?.jobId !== jobId) return;
    // The queue's view adds the time left at the pace of the phase (read from memory, at once).
    void this.base.jobs.progress(jobId).then((view) => w.printer.update(view ?? { ...p, etaSeconds: null }));
  }

  /**
   * Runs the queue until `settled` says the job's work has ended. Another process may hold the job
   * (a server on PostgreSQL took it first) or it may wait to be retried: then this follows the
   * progress that process stores, and keeps offering to work the queue, so that a retry on the
   * embedded database, where no other process can take it, still runs.
   */
  async follow(jobId: number, printer: ProgressPrinter, settled: () => Promise<boolean>, opts: { pollMs?: number } = {}): Promise<void> {
    this.watched = { jobId, printer };
    // A job an earlier command was killed in the middle of is taken at once, not after its lease.
    await this.base.jobs.reclaimAbandoned();
    try {
      for (;;) {
        await this.base.jobs.drain();
        if (await settled()) return;
        const p = await this.base.jobs.progress(jobId);
        if (p) printer.update(p);
        await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 1000));
      }
    } finally {
      this.watched = null;
      printer.end();
    }
  }
}
