/**
 * Webhook delivery like Stripe's: every event is POSTed to the endpoint as pretty-printed JSON
 * with `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256("<t>.<body>", whsec secret)>`, retried on a
 * non-2xx answer or a connection error, with no ordering guarantee. Deliveries run one at a
 * time from a queue ordered by due time, so faults (duplicates, shuffling, lost attempts) are
 * reproducible from the seed.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { FakeEvent } from "./objects";

export interface WebhookFaults {
  /** 0..1: chance that an event gets one extra, identical delivery. */
  duplicateRate: number;
  /** Deliver due events in random order instead of oldest first. */
  shuffle: boolean;
  /** Wait before each delivery attempt (ms). */
  delayMs: number;
  /** The first n attempts of every event are lost on the way (never reach the endpoint). */
  dropFirstAttempts: number;
}

export const NO_WEBHOOK_FAULTS: WebhookFaults = { duplicateRate: 0, shuffle: false, delayMs: 0, dropFirstAttempts: 0 };

export interface DeliveryRecord {
  eventId: string;
  type: string;
  /** 1 for the first attempt of this delivery, 2 for its first retry, … */
  attempt: number;
  /** The endpoint's HTTP status; null when it was not reached (connection error, dropped). */
  status: number | null;
  error: string | null;
  /** This is the extra copy that `duplicateRate` added. */
  duplicate: boolean;
  /** Lost on purpose by `dropFirstAttempts`. */
  dropped: boolean;
  /** No retries left after this failed attempt. */
  exhausted: boolean;
  /** Wall-clock ms when the attempt started, and how long it took. */
  at: number;
  durationMs: number;
}

interface Job {
  seq: number;
  event: FakeEvent;
  payload: string;
  attempt: number;
  dueAt: number;
  duplicate: boolean;
}

const DELIVERY_TIMEOUT_MS = 10_000;

export function signatureHeader(payload: string, secret: string, timestampS: number): string {
  const signature = createHmac("sha256", secret).update(`${timestampS}.${payload}`, "utf8").digest("hex");
  return `t=${timestampS},v1=${signature}`;
}

export class WebhookDispatcher {
  url: string | null;
  faults: WebhookFaults = { ...NO_WEBHOOK_FAULTS };
  private queue: Job[] = [];
  private log: DeliveryRecord[] = [];
  private seq = 0;
  private paused = false;
  private flushing = 0;
  private running = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  private rng = xoroshiro128plus(1);
  private closed = false;

  constructor(
    private readonly options: {
      url: string | null;
      secret: string;
      retryDelaysMs: number[];
      /** Called once per event when a delivery succeeds (Stripe's `pending_webhooks` drops). */
      onDelivered: (event: FakeEvent) => void;
    },
  ) {
    this.url = options.url;
  }

  seed(seed: number): void {
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** Queues an event for the current endpoint; returns how many endpoints will get it (0 or 1). */
  enqueue(event: FakeEvent): number {
    if (!this.url || this.closed) return 0;
    // Serialized once: retries and duplicates carry byte-identical bodies, as Stripe's do.
    const payload = JSON.stringify({ ...event, pending_webhooks: 1 }, null, 2);
    this.push(event, payload, false);
    if (this.faults.duplicateRate > 0 && uniformFloat64(this.rng) < this.faults.duplicateRate)
      this.push(event, payload, true);
    return 1;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Delivers everything queued (even while paused) and resolves once each delivery succeeded or ran out of retries. */
  async flush(): Promise<void> {
    this.flushing += 1;
    try {
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.schedule();
      this.settleIfIdle();
      await idle;
    } finally {
      this.flushing -= 1;
    }
  }

  deliveries(): DeliveryRecord[] {
    return this.log.map((record) => ({ ...record }));
  }

  pendingCount(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  reset(): void {
    this.queue = [];
    this.log = [];
    this.faults = { ...NO_WEBHOOK_FAULTS };
    this.paused = false;
    this.seed(1);
    this.settleIfIdle();
  }

  close(): void {
    this.closed = true;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.settleIfIdle();
  }

  private push(event: FakeEvent, payload: string, duplicate: boolean): void {
    this.queue.push({ seq: this.seq++, event, payload, attempt: 0, dueAt: Date.now(), duplicate });
    this.schedule();
  }

  /** Deferred, so events emitted together (one API call) are all queued before any is sent. */
  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.pump();
    });
  }

  private blocked(): boolean {
    return this.closed || (this.paused && this.flushing === 0);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (this.blocked()) break;
        const now = Date.now();
        const due = this.queue.filter((job) => job.dueAt <= now);
        if (due.length === 0) break;
        const job = this.faults.shuffle
          ? due[uniformInt(this.rng, 0, due.length - 1)]!
          : due.reduce((a, b) => (b.dueAt < a.dueAt || (b.dueAt === a.dueAt && b.seq < a.seq) ? b : a));
        this.queue.splice(this.queue.indexOf(job), 1);
        if (this.faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
        await this.attempt(job);
      }
    } finally {
      this.running = false;
    }
    this.armTimer();
    this.settleIfIdle();
  }

  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0 || this.blocked()) return;
    const next = Math.min(...this.queue.map((job) => job.dueAt));
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.pump();
      },
      Math.max(0, next - Date.now()),
    );
  }

  private settleIfIdle(): void {
    if (this.running || (this.queue.length > 0 && !this.closed)) return;
    const waiters = this.idleWaiters.splice(0);
    for (const resolve of waiters) resolve();
  }

  private async attempt(job: Job): Promise<void> {
    job.attempt += 1;
    const at = Date.now();
    const dropped = job.attempt <= this.faults.dropFirstAttempts;
    const outcome =
      dropped || !this.url
        ? { status: null, error: dropped ? "dropped" : "no endpoint" }
        : await this.post(this.url, job.payload);
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const retryIn = this.options.retryDelaysMs[job.attempt - 1];
    const exhausted = !ok && retryIn === undefined;
    this.log.push({
      eventId: job.event.id,
      type: job.event.type,
      attempt: job.attempt,
      status: outcome.status,
      error: outcome.error,
      duplicate: job.duplicate,
      dropped,
      exhausted,
      at,
      durationMs: Date.now() - at,
    });
    if (this.log.length > 20_000) this.log.splice(0, this.log.length - 20_000);
    if (ok) this.options.onDelivered(job.event);
    else if (!exhausted && !this.closed) this.queue.push({ ...job, dueAt: Date.now() + retryIn! });
  }

  private post(target: string, payload: string): Promise<{ status: number | null; error: string | null }> {
    // Signed at send time with the wall clock: receivers check the timestamp against theirs.
    const header = signatureHeader(payload, this.options.secret, Math.floor(Date.now() / 1000));
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        resolve({ status: null, error: `invalid webhook URL ${target}` });
        return;
      }
      const client = url.protocol === "https:" ? https : http;
      const request = client.request(
        url,
        {
          method: "POST",
          agent: false,
          timeout: DELIVERY_TIMEOUT_MS,
          headers: {
            "content-type": "application/json; charset=utf-8",
            "content-length": Buffer.byteLength(payload),
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            accept: "*/*; q=0.5, application/xml",
            "cache-control": "no-cache",
            "stripe-signature": header,
          },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve({ status: response.statusCode ?? null, error: null }));
          response.on("error", (error) => resolve({ status: null, error: error.message }));
        },
      );
      request.on("timeout", () => request.destroy(new Error(`timed out after ${DELIVERY_TIMEOUT_MS} ms`)));
      request.on("error", (error) => resolve({ status: null, error: error.message }));
      request.end(payload);
    });
  }
}
