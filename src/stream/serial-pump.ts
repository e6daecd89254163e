/**
 * Runs `step` until it reports no more work, never twice at once; a `kick` during a run makes the run
 * look again before it ends, so no wake-up is lost. `kick()` resolves when the pump is idle.
 */
export class SerialPump {
  private running: Promise<void> | null = null;
  private again = false;
  stopped = false;

  constructor(private readonly step: () => Promise<boolean>) {}

  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.step())) {}
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops and waits for the step in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => {});
  }
}
