/** Concurrency limits of the fetcher: slots in total and per host name. */

/** A counting semaphore: `acquire` resolves to a release function once a slot is free. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(this.#releaser());
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(grant);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(signal!.reason);
      };
      this.#waiting.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

/** A global limit and a per-host limit; a request holds one slot of each. */
export class RequestSlots {
  #global: Semaphore;
  #perHost = new Map<string, Semaphore>();
  #perHostSize: number;

  constructor(global: number, perHost: number) {
    this.#global = new Semaphore(global);
    this.#perHostSize = perHost;
  }

  /** Waits for a slot for `hostname` and a global one; resolves to one release function for both. */
  async acquire(hostname: string, signal?: AbortSignal): Promise<() => void> {
    let host = this.#perHost.get(hostname);
    if (!host) this.#perHost.set(hostname, (host = new Semaphore(this.#perHostSize)));
    // Host first: waiting on a busy host must not hold a global slot other hosts could use.
    const releaseHost = await host.acquire(signal);
    let releaseGlobal: () => void;
    try {
      releaseGlobal = await this.#global.acquire(signal);
    } catch (error) {
      releaseHost();
      throw error;
    }
    return () => {
      releaseGlobal();
      releaseHost();
    };
  }
}
