/**
 * Simulated time for benchmarks of I/O-bound code: `sleep` waits in virtual milliseconds, and
 * `run` advances the clock to the next timer whenever every task is waiting, so hours of simulated
 * latency take seconds. It only works for code that waits on nothing but this clock (the fakes
 * answer after `sleep`); anything else waiting would stall the run, which `run` reports.
 */
export class VirtualClock {
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  now = 0;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.now + ms, seq: this.seq++, resolve });
    });
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    let finished = false;
    const result = work().finally(() => (finished = true));
    result.catch(() => undefined);
    for (;;) {
      // let every promise chain run until it waits on the clock again
      await new Promise((resolve) => setImmediate(resolve));
      if (finished) return result;
      if (this.timers.length === 0) throw new Error("simulation stalled: work is waiting on something other than the virtual clock");
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0]!.at;
      this.now = next;
      const due = this.timers.filter((t) => t.at === next);
      this.timers = this.timers.filter((t) => t.at !== next);
      for (const timer of due) timer.resolve();
    }
  }
}
