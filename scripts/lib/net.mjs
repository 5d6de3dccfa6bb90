/**
 * Network helpers shared by the scripts, the benchmarks and the tests that start servers:
 * a free TCP port, and waiting for a freshly spawned server's `/readyz`.
 */
import net from 'node:net';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A TCP port that is free on `host` right now: binds port 0, reads the port the OS chose, and
 * releases it. Another process may still take it before you bind it; retry when that matters.
 *
 * @param {string} [host='127.0.0.1'] the address to probe
 * @returns {Promise<number>}
 */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `GET <baseUrl>/readyz` until it answers 2xx. Fails as soon as `proc` (the server's child
 * process, when given) exits or cannot be spawned, and when `timeoutMs` passes; the error names
 * the exit code or signal and ends with the last 40 lines of `output()` when given. It never
 * kills `proc`: stopping the server on failure is the caller's job.
 *
 * @param {string} baseUrl e.g. `http://127.0.0.1:3957` (no trailing slash)
 * @param {object} [options]
 * @param {number} [options.timeoutMs=60000] give up after this long
 * @param {import('node:child_process').ChildProcess} [options.proc] the server process to watch
 * @param {() => string} [options.output] the server's output so far, for the error message
 * @param {string} [options.name='the server'] what to call the server in the error message
 * @param {number} [options.intervalMs=100] pause between two polls
 * @returns {Promise<number>} milliseconds spent waiting
 */
export async function waitForReady(baseUrl, { timeoutMs = 60_000, proc, output, name = 'the server', intervalMs = 100 } = {}) {
  const t0 = performance.now();
  const deadline = t0 + timeoutMs;
  let spawnError = null;
  const onError = (err) => (spawnError = err);
  proc?.on('error', onError);
  const fail = (why) => {
    const log = output?.().trimEnd();
    const tail = log ? `\n--- ${name} output (last 40 lines) ---\n${log.split('\n').slice(-40).join('\n')}` : '';
    return new Error(`${name[0].toUpperCase()}${name.slice(1)} ${why}.${tail}`);
  };
  try {
    for (;;) {
      if (spawnError) throw fail(`could not be started (${spawnError.message})`);
      if (proc && (proc.exitCode !== null || proc.signalCode !== null)) {
        throw fail(`exited (${proc.exitCode ?? proc.signalCode}) before it was ready`);
      }
      if (performance.now() > deadline) throw fail(`was not ready within ${timeoutMs / 1000} s`);
      try {
        const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.ok) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await sleep(intervalMs);
    }
  } finally {
    proc?.off('error', onError);
  }
}
