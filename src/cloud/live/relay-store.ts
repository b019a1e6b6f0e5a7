import type { createClient } from "redis";
import type { z } from "zod";
import type { LiveEvent, LiveEventBody, relaySnapshotSchema } from "../../shared/contract/live";

/** What the host sends as a snapshot: the session without the viewer's own fields. */
export type HostSnapshot = z.infer<typeof relaySnapshotSchema>["snapshot"];
export type HostEvent = { hostSeq: number } & LiveEventBody;

export interface StoredSnapshot {
  /** The session seq the snapshot stands at: the seq of the last host event with hostSeq ≤ its hostSeq. */
  seq: number;
  hostSeq: number;
  snapshot: HostSnapshot;
}

export type PublishResult =
  | { ended: true }
  | {
      ended: false;
      appended: LiveEvent[];
      lastHostSeq: number;
      /** A snapshot that was waiting for these events now stands at a seq (late joiners get it). */
      snapshotReady: boolean;
    };
export type SnapshotResult =
  /** Stored at `seq` ("stale": older than the one stored, so not stored). */
  | { ok: true; seq: number; stored: "active" | "stale" }
  /** Ahead of the events published so far: stored, and it takes effect once they are. */
  | { ok: true; seq: null; stored: "pending" }
  | { ok: false; reason: "ended" | "too_old" };

/**
 * The relay's per-session sequencing state: the seq counter, the host's last applied hostSeq, a
 * bounded stream of sequenced events and the latest snapshot. Every write that allocates seqs is
 * atomic, so two relay instances (or two host sockets after a reconnect) never hand out one seq
 * twice nor apply a host event twice. Redis when the Cloud has REDIS_URL; memory otherwise.
 */
export interface RelayStore {
  kind: "redis" | "memory";
  /** Appends the host events newer than the last applied hostSeq, each with the next seq. */
  publish(sessionId: string, events: HostEvent[], expiresAt: Date): Promise<PublishResult>;
  /** Appends an event of the relay's own (presence) with the next seq; null once the session ended. */
  append(sessionId: string, body: LiveEventBody, expiresAt: Date): Promise<LiveEvent | null>;
  /**
   * Stores the host's state as of its event `hostSeq`, at the seq of the last host event with a
   * hostSeq ≤ it. A snapshot ahead of what was published (the host snapshots state whose events
   * are still queued on its side) waits for those events and takes effect with them.
   */
  putSnapshot(sessionId: string, hostSeq: number, snapshot: HostSnapshot, expiresAt: Date): Promise<SnapshotResult>;
  getSnapshot(sessionId: string): Promise<StoredSnapshot | null>;
  /**
   * The events after `afterSeq`, or null when the stream no longer holds all of them (trimmed, or
   * `afterSeq` is ahead of this relay's seq). With `partial`, whatever it still holds after it.
   */
  eventsAfter(sessionId: string, afterSeq: number, options?: { partial?: boolean }): Promise<LiveEvent[] | null>;
  /** Marks the session ended (later publishes and appends are refused) and drops its events. */
  end(sessionId: string, expiresAt: Date): Promise<void>;
  isEnded(sessionId: string): Promise<boolean>;
  close(): Promise<void>;
}

export const DEFAULT_STREAM_MAX_LEN = 20_000;

function withSeq(seq: number, body: LiveEventBody): LiveEvent {
  return { seq, ...body } as LiveEvent;
}

function bodyOf(event: HostEvent): LiveEventBody {
  const { hostSeq: _hostSeq, ...body } = event;
  return body as LiveEventBody;
}

// ---------------------------------------------------------------------------------------------
// Memory (one instance, no REDIS_URL)
// ---------------------------------------------------------------------------------------------

interface MemorySession {
  seq: number;
  hostSeq: number;
  /** Seq of the last host event. */
  hostAt: number;
  ended: boolean;
  events: Array<{ event: LiveEvent; hostSeq: number | null }>;
  snapshot: StoredSnapshot | null;
  pending: { hostSeq: number; snapshot: HostSnapshot } | null;
  expiresAt: number;
}

export function createMemoryRelayStore(options: { maxLen?: number; now?: () => Date } = {}): RelayStore {
  const maxLen = options.maxLen ?? DEFAULT_STREAM_MAX_LEN;
  const now = options.now ?? (() => new Date());
  const sessions = new Map<string, MemorySession>();
  const session = (sessionId: string, expiresAt?: Date): MemorySession => {
    let entry = sessions.get(sessionId);
    if (entry && entry.expiresAt <= now().getTime()) {
      sessions.delete(sessionId);
      entry = undefined;
    }
    if (!entry) {
      entry = {
        seq: 0,
        hostSeq: 0,
        hostAt: 0,
        ended: false,
        events: [],
        snapshot: null,
        pending: null,
        expiresAt: Infinity,
      };
      sessions.set(sessionId, entry);
    }
    if (expiresAt) entry.expiresAt = expiresAt.getTime();
    // Forget sessions past their expiry now and then, as Redis does with its TTLs.
    if (sessions.size > 1 && Math.random() < 0.01) {
      for (const [id, other] of sessions) if (other.expiresAt <= now().getTime()) sessions.delete(id);
    }
    return entry;
  };
  const push = (entry: MemorySession, event: LiveEvent, hostSeq: number | null) => {
    entry.events.push({ event, hostSeq });
    if (entry.events.length > maxLen) entry.events.splice(0, entry.events.length - maxLen);
  };

  return {
    kind: "memory",
    async publish(sessionId, events, expiresAt) {
      const entry = session(sessionId, expiresAt);
      if (entry.ended) return { ended: true };
      const appended: LiveEvent[] = [];
      const pending = entry.pending;
      let base = entry.hostAt;
      for (const event of events) {
        if (event.hostSeq <= entry.hostSeq) continue;
        entry.seq += 1;
        entry.hostSeq = event.hostSeq;
        entry.hostAt = entry.seq;
        if (pending && event.hostSeq <= pending.hostSeq) base = entry.seq;
        const sequenced = withSeq(entry.seq, bodyOf(event));
        push(entry, sequenced, event.hostSeq);
        appended.push(sequenced);
      }
      let snapshotReady = false;
      if (pending && entry.hostSeq >= pending.hostSeq) {
        entry.pending = null;
        if (pending.hostSeq >= (entry.snapshot?.hostSeq ?? -1)) {
          entry.snapshot = { seq: base, hostSeq: pending.hostSeq, snapshot: pending.snapshot };
          snapshotReady = true;
        }
      }
      return { ended: false, appended, lastHostSeq: entry.hostSeq, snapshotReady };
    },
    async append(sessionId, body, expiresAt) {
      const entry = session(sessionId, expiresAt);
      if (entry.ended) return null;
      entry.seq += 1;
      const event = withSeq(entry.seq, body);
      push(entry, event, null);
      return event;
    },
    async putSnapshot(sessionId, hostSeq, snapshot, expiresAt) {
      const entry = session(sessionId, expiresAt);
      if (entry.ended) return { ok: false, reason: "ended" };
      if (hostSeq > entry.hostSeq) {
        if (hostSeq >= (entry.pending?.hostSeq ?? -1)) entry.pending = { hostSeq, snapshot };
        return { ok: true, seq: null, stored: "pending" };
      }
      let seq: number | null = null;
      if (hostSeq === entry.hostSeq) seq = entry.hostAt;
      else {
        for (let i = entry.events.length - 1; i >= 0 && seq === null; i -= 1) {
          const held = entry.events[i]!;
          if (held.hostSeq !== null && held.hostSeq <= hostSeq) seq = held.event.seq;
        }
        // Nothing trimmed yet: a snapshot older than every host event stands before all of them.
        const first = entry.events[0]?.event.seq;
        if (seq === null && (first === undefined || first <= 1)) seq = 0;
      }
      if (seq === null) return { ok: false, reason: "too_old" };
      if (entry.snapshot && hostSeq < entry.snapshot.hostSeq) return { ok: true, seq, stored: "stale" };
      entry.snapshot = { seq, hostSeq, snapshot };
      return { ok: true, seq, stored: "active" };
    },
    async getSnapshot(sessionId) {
      const entry = sessions.get(sessionId);
      return entry && !entry.ended ? entry.snapshot : null;
    },
    async eventsAfter(sessionId, afterSeq, opts = {}) {
      const entry = sessions.get(sessionId);
      const seq = entry?.seq ?? 0;
      if (afterSeq === seq) return [];
      if (!entry || afterSeq > seq) return opts.partial ? [] : null;
      const first = entry.events[0]?.event.seq;
      if (!opts.partial && (first === undefined || first > afterSeq + 1)) return null;
      return entry.events.filter((held) => held.event.seq > afterSeq).map((held) => held.event);
    },
    async end(sessionId, expiresAt) {
      const entry = session(sessionId, expiresAt);
      entry.ended = true;
      entry.events = [];
      entry.snapshot = null;
      entry.pending = null;
    },
    async isEnded(sessionId) {
      return sessions.get(sessionId)?.ended ?? false;
    },
    async close() {
      sessions.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Redis (any number of instances). One hash tag per session, so a cluster keeps its keys together.
// ---------------------------------------------------------------------------------------------

// KEYS: meta, stream, snapshot, pending. ARGV: maxLen, expireAtMs, then hostSeq/body-json pairs.
// Returns {lastHostSeq, snapshotReady (0|1), seq1, hostSeq1, seq2, hostSeq2, ...} for the events
// appended, or {-1} once ended. A pending snapshot whose events are now all in takes effect.
const PUBLISH = `
if redis.call('HEXISTS', KEYS[1], 'ended') == 1 then return {-1} end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if seq == 0 then redis.call('DEL', KEYS[2]) end
local last = tonumber(redis.call('HGET', KEYS[1], 'hostSeq') or '0')
local hostAt = tonumber(redis.call('HGET', KEYS[1], 'hostAt') or '0')
local pendingAt = tonumber(redis.call('HGET', KEYS[4], 'hostSeq') or '-1')
local base = hostAt
local out = {0, 0}
for i = 3, #ARGV, 2 do
  local hs = tonumber(ARGV[i])
  if hs > last then
    seq = seq + 1
    last = hs
    hostAt = seq
    if hs <= pendingAt then base = seq end
    local json = '{"seq":' .. seq .. ',' .. string.sub(ARGV[i + 1], 2)
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'h', hs, 'e', json)
    out[#out + 1] = seq
    out[#out + 1] = hs
  end
end
out[1] = last
redis.call('HSET', KEYS[1], 'seq', seq, 'hostSeq', last, 'hostAt', hostAt)
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
if pendingAt >= 0 and last >= pendingAt then
  local activeAt = tonumber(redis.call('HGET', KEYS[3], 'hostSeq') or '-1')
  if pendingAt >= activeAt then
    redis.call('HSET', KEYS[3], 'seq', base, 'hostSeq', pendingAt, 'json', redis.call('HGET', KEYS[4], 'json'))
    redis.call('PEXPIREAT', KEYS[3], ARGV[2])
    out[2] = 1
  end
  redis.call('DEL', KEYS[4])
end
return out
`;

// KEYS: meta, stream. ARGV: maxLen, expireAtMs, body-json. Returns the seq, or -1 once ended.
const APPEND = `
if redis.call('HEXISTS', KEYS[1], 'ended') == 1 then return -1 end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
if seq == 1 then redis.call('DEL', KEYS[2]) end
local json = '{"seq":' .. seq .. ',' .. string.sub(ARGV[3], 2)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'e', json)
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[2], ARGV[2])
return seq
`;

// KEYS: meta, stream, snapshot, pending. ARGV: hostSeq, snapshot-json, expireAtMs.
// Returns {base seq, 0} when stored, {base seq, 1} when older than the stored one (kept as it
// was), {-3} when ahead of the published events (pending), {-1} once ended, {-2} when the host
// events before it are no longer held.
const SNAPSHOT = `
if redis.call('HEXISTS', KEYS[1], 'ended') == 1 then return {-1} end
local h = tonumber(ARGV[1])
local last = tonumber(redis.call('HGET', KEYS[1], 'hostSeq') or '0')
local base = nil
if h > last then
  local pendingAt = tonumber(redis.call('HGET', KEYS[4], 'hostSeq') or '-1')
  if h >= pendingAt then
    redis.call('HSET', KEYS[4], 'hostSeq', h, 'json', ARGV[2])
    redis.call('PEXPIREAT', KEYS[4], ARGV[3])
  end
  return {-3}
elseif h == last then
  base = tonumber(redis.call('HGET', KEYS[1], 'hostAt') or '0')
else
  local hi = '+'
  while base == nil do
    local entries = redis.call('XREVRANGE', KEYS[2], hi, '-', 'COUNT', 200)
    if #entries == 0 then break end
    for _, entry in ipairs(entries) do
      local fields = entry[2]
      for j = 1, #fields, 2 do
        if fields[j] == 'h' and tonumber(fields[j + 1]) <= h then
          base = tonumber(string.match(entry[1], '^(%d+)'))
        end
      end
      if base ~= nil then break end
      hi = '(' .. entry[1]
    end
  end
  if base == nil then
    local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
    if #first == 0 or tonumber(string.match(first[1][1], '^(%d+)')) <= 1 then base = 0 end
  end
end
if base == nil then return {-2} end
local activeAt = tonumber(redis.call('HGET', KEYS[3], 'hostSeq') or '-1')
if h < activeAt then return {base, 1} end
redis.call('HSET', KEYS[3], 'seq', base, 'hostSeq', h, 'json', ARGV[2])
redis.call('PEXPIREAT', KEYS[3], ARGV[3])
return {base, 0}
`;

// KEYS: meta, stream. ARGV: afterSeq, partial (0|1). Returns {1, json...} or {0} when not all held.
const EVENTS_AFTER = `
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local after = tonumber(ARGV[1])
if after == seq then return {1} end
if after > seq then return {ARGV[2] == '1' and 1 or 0} end
local entries = redis.call('XRANGE', KEYS[2], (after + 1) .. '-0', '+')
if ARGV[2] ~= '1' and (#entries == 0 or entries[1][1] ~= (after + 1) .. '-0') then return {0} end
local out = {1}
for _, entry in ipairs(entries) do
  local fields = entry[2]
  for j = 1, #fields, 2 do
    if fields[j] == 'e' then out[#out + 1] = fields[j + 1] end
  end
end
return out
`;

// KEYS: meta, stream, snapshot, pending. ARGV: expireAtMs.
const END = `
redis.call('HSET', KEYS[1], 'ended', 1)
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
return 1
`;

export type RedisClient = ReturnType<typeof createClient>;
type Redis = RedisClient;

/** EVALSHA with a fallback to EVAL when the server does not have the script (restart, failover). */
function script(source: string) {
  let sha: string | null = null;
  return async <T>(client: Redis, keys: string[], args: Array<string | number>): Promise<T> => {
    const argv = [String(keys.length), ...keys, ...args.map(String)];
    if (sha) {
      try {
        return (await client.sendCommand(["EVALSHA", sha, ...argv])) as T;
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      }
    }
    sha = (await client.sendCommand(["SCRIPT", "LOAD", source])) as string;
    return (await client.sendCommand(["EVALSHA", sha, ...argv])) as T;
  };
}

export function createRedisRelayStore(
  client: RedisClient,
  options: { prefix: string; maxLen?: number; now?: () => Date },
): RelayStore {
  const maxLen = options.maxLen ?? DEFAULT_STREAM_MAX_LEN;
  const now = options.now ?? (() => new Date());
  const keys = (sessionId: string) => {
    const base = `${options.prefix}live:{${sessionId}}`;
    return {
      meta: `${base}:meta`,
      stream: `${base}:events`,
      snapshot: `${base}:snapshot`,
      pending: `${base}:pending`,
    };
  };
  // Keys outlive the session by an hour (late reconnects get a clean refusal, not a blank state).
  const expireAt = (expiresAt: Date) => Math.max(expiresAt.getTime(), now().getTime()) + 60 * 60 * 1000;
  const publishScript = script(PUBLISH);
  const appendScript = script(APPEND);
  const snapshotScript = script(SNAPSHOT);
  const eventsScript = script(EVENTS_AFTER);
  const endScript = script(END);

  return {
    kind: "redis",
    async publish(sessionId, events, expiresAt) {
      const k = keys(sessionId);
      const args: Array<string | number> = [maxLen, expireAt(expiresAt)];
      for (const event of events) args.push(event.hostSeq, JSON.stringify(bodyOf(event)));
      const reply = await publishScript<number[]>(client, [k.meta, k.stream, k.snapshot, k.pending], args);
      if (Number(reply[0]) === -1) return { ended: true };
      const byHostSeq = new Map(events.map((event) => [event.hostSeq, event]));
      const appended: LiveEvent[] = [];
      for (let i = 2; i < reply.length; i += 2) {
        appended.push(withSeq(Number(reply[i]), bodyOf(byHostSeq.get(Number(reply[i + 1]))!)));
      }
      return { ended: false, appended, lastHostSeq: Number(reply[0]), snapshotReady: Number(reply[1]) === 1 };
    },
    async append(sessionId, body, expiresAt) {
      const k = keys(sessionId);
      const seq = Number(
        await appendScript<number>(client, [k.meta, k.stream], [maxLen, expireAt(expiresAt), JSON.stringify(body)]),
      );
      return seq < 0 ? null : withSeq(seq, body);
    },
    async putSnapshot(sessionId, hostSeq, snapshot, expiresAt) {
      const k = keys(sessionId);
      const [seq, stale] = (
        await snapshotScript<number[]>(
          client,
          [k.meta, k.stream, k.snapshot, k.pending],
          [hostSeq, JSON.stringify(snapshot), expireAt(expiresAt)],
        )
      ).map(Number) as [number, number | undefined];
      if (seq === -1) return { ok: false, reason: "ended" };
      if (seq === -2) return { ok: false, reason: "too_old" };
      if (seq === -3) return { ok: true, seq: null, stored: "pending" };
      return { ok: true, seq, stored: stale === 1 ? "stale" : "active" };
    },
    async getSnapshot(sessionId) {
      const [seq, hostSeq, json] = await client.hmGet(keys(sessionId).snapshot, ["seq", "hostSeq", "json"]);
      if (seq == null || hostSeq == null || json == null) return null;
      return { seq: Number(seq), hostSeq: Number(hostSeq), snapshot: JSON.parse(json) as HostSnapshot };
    },
    async eventsAfter(sessionId, afterSeq, opts = {}) {
      const k = keys(sessionId);
      const reply = await eventsScript<Array<number | string>>(
        client,
        [k.meta, k.stream],
        [afterSeq, opts.partial ? 1 : 0],
      );
      if (Number(reply[0]) !== 1) return null;
      return reply.slice(1).map((json) => JSON.parse(String(json)) as LiveEvent);
    },
    async end(sessionId, expiresAt) {
      const k = keys(sessionId);
      await endScript(client, [k.meta, k.stream, k.snapshot, k.pending], [expireAt(expiresAt)]);
    },
    async isEnded(sessionId) {
      return (await client.hExists(keys(sessionId).meta, "ended")) === 1;
    },
    async close() {
      // The client belongs to the relay, which closes it after the adapter.
    },
  };
}
