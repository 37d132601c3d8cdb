/** A connection of the simulated database; only its identity matters. */
export interface PooledConnection {
  readonly id: number;
}

export class PoolAcquireTimeout extends Error {
  readonly code = "E_POOL_ACQUIRE_TIMEOUT";
}

export interface PoolObserver {
  /** Called whenever in-use, open or waiting counts (or the size) change. */
  onChange(pool: ConnectionPool): void;
  /** How long an acquire waited (0 when a connection was free), and whether it timed out. */
  onAcquire(waitMs: number, timedOut: boolean): void;
}

interface Waiter {
  grant(conn: PooledConnection): void;
}

/**
 * A bounded pool in front of the simulated database: at most `size` connections in use, the
 * rest of the callers wait in a FIFO for at most their acquire timeout. Connections open lazily
 * and close when released above the size (after a shrink), as real pools do. The size may change
 * while in use (the pool-shrink fault): a shrink lets in-use connections finish and then hands
 * out fewer; a growth admits waiters at once.
 */
export class ConnectionPool {
  private readonly idle: PooledConnection[] = [];
  private readonly busy = new Set<PooledConnection>();
  private readonly waiters: Waiter[] = [];
  private nextId = 1;

  constructor(
    private currentSize: number,
    private readonly observer: PoolObserver,
  ) {}

  get size(): number {
    return this.currentSize;
  }
  get inUse(): number {
    return this.busy.size;
  }
  get open(): number {
    return this.busy.size + this.idle.length;
  }
  get waiting(): number {
    return this.waiters.length;
  }

  /** A connection, waiting at most `timeoutMs` for one; rejects with PoolAcquireTimeout. */
  acquire(timeoutMs: number): Promise<PooledConnection> {
    const now = this.tryAcquire();
    if (now) {
      this.observer.onAcquire(0, false);
      return Promise.resolve(now);
    }
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (conn) => {
          clearTimeout(timer);
          this.observer.onAcquire(performance.now() - started, false);
          resolve(conn);
        },
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        this.observer.onAcquire(performance.now() - started, true);
        this.observer.onChange(this);
        reject(new PoolAcquireTimeout(`no database connection free within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
      this.observer.onChange(this);
    });
  }

  /** A connection at once, or undefined when all `size` are in use (never waits). */
  tryAcquire(): PooledConnection | undefined {
    if (this.busy.size >= this.currentSize) return undefined;
    const conn = this.idle.pop() ?? { id: this.nextId++ };
    this.busy.add(conn);
    this.observer.onChange(this);
    return conn;
  }

  release(conn: PooledConnection): void {
    if (!this.busy.delete(conn)) return; // released twice: ignore rather than corrupt the counts
    if (this.open < this.currentSize || this.waiters.length > 0) this.idle.push(conn);
    this.dispatch();
    this.observer.onChange(this);
  }

  resize(size: number): void {
    this.currentSize = size;
    while (this.open > size && this.idle.length > 0) this.idle.pop(); // close idle extras
    this.dispatch();
    this.observer.onChange(this);
  }

  /** Hands free capacity to waiters, first come first served. */
  private dispatch(): void {
    while (this.waiters.length > 0 && this.busy.size < this.currentSize) {
      const waiter = this.waiters.shift() as Waiter;
      const conn = this.idle.pop() ?? { id: this.nextId++ };
      this.busy.add(conn);
      waiter.grant(conn);
    }
  }
}
