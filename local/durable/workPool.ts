/** Runs jobs with at most `limit` at a time, in the order they were added. */
export class WorkPool<T> {
  private readonly queue: T[] = [];
  private running = 0;

  constructor(
    private readonly limit: number,
    private readonly run: (job: T) => Promise<void>,
    private readonly onSettled: (error: unknown) => void,
  ) {
    if (!(limit >= 1)) throw new RangeError(`The concurrency limit must be at least 1, got ${limit}.`);
  }

  add(job: T): void {
    this.queue.push(job);
    this.startJobs();
  }

  /** True while a job runs or waits. */
  get busy(): boolean {
    return this.running > 0 || this.queue.length > 0;
  }

  private startJobs(): void {
    while (this.queue.length > 0 && this.running < this.limit) {
      const job = this.queue.shift()!;
      this.running += 1;
      this.run(job).then(
        () => this.settle(undefined),
        (error: unknown) => this.settle(error),
      );
    }
  }

  private settle(error: unknown): void {
    this.running -= 1;
    this.startJobs();
    this.onSettled(error);
  }
}
