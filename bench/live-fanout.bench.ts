/**
 * Live-session fan-out benchmark (issue 9): latency from the host's event to N = 500 viewers
 * connected on loopback (BENCH_QUICK=1: 100), in three setups:
 *   relay1: the host publishes to one Sight Cloud instance (live.publishRelay), relay in memory;
 *   relay2: two Cloud instances on one PostgreSQL database and a real Redis (socket.io's
 *           redis-streams adapter), the host publishing to A, viewers split half/half on A and B;
 *   direct: the host app serves the session itself (live.serveDirect on 127.0.0.1). Run last:
 *           at 500 viewers, stopping it exhausts the host's heap (see below).
 *
 * The host is a real app (createServices, its database in a worker as shipped) in the measuring
 * process, with a focus group and one viewer invite (signed in to the Cloud with billing.signUp in
 * the relay setups). Each Cloud instance runs in its own process (bench/live/cloud-child.ts), the
 * viewers in another (bench/live/viewers-child.ts, socket.io-client over websocket, reconnecting
 * with afterSeq as the app's viewer does), the LLM fakes in a third (bench/live/fakes-child.ts;
 * persona generation only). Once all N viewers have their first state, the join's presence events
 * have died down and the host's presence shows N, the host publishes E = 300 events (quick: 100)
 * through the session's LiveFeed at 100 per second: persona_responded deltas of 16–64 characters
 * and a finished message every 20th. Each event's publish time is taken by a feed subscriber (the
 * first one, ahead of the transports) and each (viewer, event) receipt in the viewers' process,
 * both as performance.timeOrigin + performance.now() (epoch ms; the two clocks are compared over
 * IPC and the offset removed). Latency = receipt − publish.
 *
 * Reported per setup (prefix relay1_/relay2_/direct_): latency p50/p99/max over every pair, the
 * first and the last receipt of each event (p50/p99), delivered/expected with missing and
 * duplicate counts (every viewer must get every event exactly once: a missing one fails the run),
 * the time to connect N viewers and to settle and the presence entries the join sent, the host's
 * event-loop lag (p99, max) during the fan-out next to its lag idle with the viewers connected
 * (measured after a full GC in every process, which clears the join's garbage before the fan-out;
 * the baseline: the sampling resolution is 5 ms, so an idle loop reads about 5 ms), the host's
 * heap and RSS peaks, CPU of the host, the viewers and the Cloud processes and of the whole
 * machine during the fan-out (2 shared cores: when the machine is busier than the bench, a note
 * says the figures are skewed), and the load average. Target: p99 < 50 ms in each setup. After
 * the fan-out the session is stopped as the researcher would (direct: live.stopDirect, timed).
 *
 History (found with this bench): presence events used to carry the whole viewer list, so N joins
 * sent O(N²) entries (~42 million for 500 viewers, joins took over a minute), and the direct
 * server encoded each event once per socket on the host's main thread. Stopping the direct server
 * closed every socket in one synchronous loop, each close announcing a "left" event to the
 * sockets still open: at 500 viewers the encoded events filled V8's 4 GB heap. Now a presence
 * event names only the viewer who changed (the list is in the snapshot), the direct server
 * broadcasts each tick's events as one packet encoded once for its room, the relay sends one
 * packet per host batch, and a closing server leaves quietly. `join_presence_entries` counts the
 * viewer entries the join sent (snapshots' lists plus one per event); `packets_per_viewer` the
 * live:events packets each viewer got for the E events. Still run as a supervisor
 * (bench/live/supervisor.ts) that starts the bench proper in a process group of its own and
 * cleans up behind it however it ends. A setup's figures are written as soon as they are measured
 * (bench/results/live-fanout.json, marked partial, says where the run died).
 *
 * BENCH_ONLY=direct,relay1 runs a subset. PostgreSQL (55439) and Redis (56389) are the bench's own
 * throwaway servers (scripts/test-postgres.mjs, scripts/test-redis.mjs), stopped at the end.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { generateLicenceKeyJson, importLicenceKey } from "../src/cloud/licence/keys";
import { createRouter } from "../src/main/api/router";
import type { TrustedKey } from "../src/main/services/billing/licence";
import { createServices, type Services } from "../src/main/services/create-services";
import { newId } from "../src/main/services/ids";
import { silentLogger } from "../src/main/services/logger";
import { createMemorySecretStore } from "../src/main/services/secrets/secret-store";
import { createMemoryPreferencesStore } from "../src/main/services/settings/preferences-store";
import type { LiveEventBody, LiveSession, Message, RouteOutput } from "../src/shared/contract";
import {
  collectGarbage,
  killAllChildren,
  startCloudProcess,
  startFakesChild,
  ViewersProcess,
  type CloudProcess,
  type FakesProcess,
} from "./live/children";
import { BENCH_PG_PORT, BENCH_REDIS_PORT, isWorker, supervise, workerTempRoot } from "./live/supervisor";
import { loadAverage, processCpuMs, RESULTS_DIR, target, withLoopLag, writeResult } from "./lib";

const quick = Boolean(process.env.BENCH_QUICK);
const VIEWERS = quick ? 100 : 500;
const EVENTS = quick ? 100 : 300;
const EVENTS_PER_S = 100;
const MESSAGE_EVERY = 20;
const CONNECT_CONCURRENCY = 25;
const TARGET_P99_MS = 50;
const DRAIN_TIMEOUT_MS = 30_000;
const IDLE_BASELINE_MS = 3_000;
const migrationsDir = path.resolve(import.meta.dirname, "..", "prisma", "migrations");

type Setup = "direct" | "relay1" | "relay2";
// The direct setup last: at 500 viewers stopping it exhausts the host's heap (see above), and the
// relay setups' figures are written before it starts.
const SETUPS: Setup[] = (process.env.BENCH_ONLY?.split(",").map((s) => s.trim()) as Setup[] | undefined) ?? [
  "relay1",
  "relay2",
  "direct",
];

// ---------------------------------------------------------------------------------------------
// Clean-up, whatever happens.
// ---------------------------------------------------------------------------------------------

type Fakes = FakesProcess;
let fakes: Fakes | null = null;
const tempDirs = new Set<string>();
/** Synchronous, so that the exit handler can run them too (the bench's PostgreSQL and Redis). */
const cleanups: Array<() => void> = [];
function runCleanups() {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      step();
    } catch (error) {
      console.error(`clean-up: ${String(error)}`);
    }
  }
}
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(workerTempRoot(), prefix));
  tempDirs.add(dir);
  return dir;
}
function removeTempDirs() {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

// ---------------------------------------------------------------------------------------------
// The synthetic stream.
// ---------------------------------------------------------------------------------------------

const WORDS =
  "oat milk breakfast coffee price carton taste creamy sweet barista foam morning habit switch budget brand shelf supermarket froth label protein sugar organic local cereal tea latte habit texture smooth thin watery expensive cheap healthy planet cow almond soy".split(
    " ",
  );

interface Planned {
  key: string;
  body: LiveEventBody;
}

/** E events: per message 19 deltas of 16–64 characters, then the finished message. */
function plan(count: number, focusGroupId: string, speakers: { id: string; name: string }[]): Planned[] {
  const rng = xoroshiro128plus(9);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const events: Planned[] = [];
  let unit = 0;
  let used = new Set<string>();
  let text = "";
  while (events.length < count) {
    const speaker = speakers[unit % speakers.length]!;
    const unitKey = `q0:r1:answer:${speaker.id}:${unit}`;
    if ((events.length + 1) % MESSAGE_EVERY === 0 || events.length === count - 1) {
      const message: Message = {
        id: newId(),
        focusGroupId,
        seq: unit + 1,
        questionIndex: 0,
        round: 1,
        phase: "answer",
        speakerType: "persona",
        personaId: speaker.id,
        speakerName: speaker.name,
        text: text.trim(),
        tokens: { input: 900, output: Math.ceil(text.length / 4) },
        createdAt: new Date().toISOString(),
      };
      const body: LiveEventBody = {
        name: "persona_responded",
        unitKey,
        speakerName: speaker.name,
        personaId: speaker.id,
        message,
      };
      events.push({ key: `${unitKey}|m:${message.id}`, body });
      unit += 1;
      used = new Set();
      text = "";
      continue;
    }
    let delta = "";
    const length = int(16, 64);
    while (delta.length < length) delta += `${WORDS[int(0, WORDS.length - 1)]} `;
    delta = delta.slice(0, length);
    // A delta is unique within its message, so (unitKey, delta) names one event.
    if (used.has(delta)) delta = `${delta.slice(0, length - 4)}${String(events.length).padStart(4, " ")}`;
    used.add(delta);
    text += delta;
    events.push({
      key: `${unitKey}|${delta}`,
      body: { name: "persona_responded", unitKey, speakerName: speaker.name, personaId: speaker.id, delta },
    });
  }
  return events;
}

const keyOf = (event: { name: string; unitKey?: string; delta?: string; message?: { id: string } }) =>
  event.name === "persona_responded" ? `${event.unitKey}|${event.delta ?? `m:${event.message?.id}`}` : null;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Peak heap and RSS of this process (the host), sampled every 100 ms until stopped. */
function memoryPeaks() {
  let heap = 0;
  let rss = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    heap = Math.max(heap, usage.heapUsed);
    rss = Math.max(rss, usage.rss);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { heapMb: heap / 2 ** 20, rssMb: rss / 2 ** 20 };
    },
  };
}

/** A child's peak resident memory (VmHWM, Linux), in MB; NaN where unreadable. */
function childPeakRssMb(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The whole machine's CPU ticks (busy, total) from /proc/stat (Linux; NaN elsewhere). */
function machineTicks(): { busy: number; total: number } {
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((sum, n) => sum + n, 0);
    return { busy: total - fields[3]! - fields[4]!, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// The host app.
// ---------------------------------------------------------------------------------------------

async function startHost(fakes: Fakes, cloud?: { url: string; key: TrustedKey }) {
  const dataDir = tempDir("sight-bench-live-host-");
  const services: Services = await createServices({
    dataDir,
    migrationsDir,
    host: "headless",
    version: "bench",
    logger: silentLogger,
    preferences: createMemoryPreferencesStore(),
    secrets: createMemorySecretStore(),
    env: fakes.env,
    // Plan injection disables the Cloud: with one, the plan is the licence's (Free is enough here).
    ...(cloud ? { cloud: { url: cloud.url, keys: [cloud.key], ignoredKeyOverride: false } } : { plan: "professional" }),
  });
  const router = createRouter(services, silentLogger);
  const invoke = async <T>(name: string, input: unknown): Promise<T> => {
    const result = await router.invoke(name, input, { transport: "rest" });
    if ("error" in result) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
    return result.data as T;
  };
  if (cloud)
    await invoke("billing.signUp", {
      email: `bench-${crypto.randomBytes(4).toString("hex")}@example.com`,
      password: "correct horse battery",
    });
  await fakes.control({ latencyMs: 0 });
  const project = await invoke<{ id: string }>("projects.create", {
    name: "Oat drink",
    targetDemographics: { gender: { female: 0.5, male: 0.5 } },
  });
  await invoke("personas.generate", { projectId: project.id, count: 3, seed: 3 });
  await services.jobs.idle();
  const personas = (
    await invoke<{ items: { id: string; name: string }[] }>("personas.list", { projectId: project.id })
  ).items.map((p) => ({ id: p.id, name: p.name }));
  const fg = await invoke<{ id: string }>("focusGroups.create", {
    projectId: project.id,
    name: "Switching to oat milk",
    participantIds: personas.map((p) => p.id),
    guide: [{ question: "What do you drink with breakfast, and why?" }, { question: "What would make you switch?" }],
    settings: { discussionRounds: 1, moderatorFollowUps: false },
  });
  return { services, invoke, personas, focusGroupId: fg.id, dataDir };
}

// ---------------------------------------------------------------------------------------------
// Shared infrastructure of the relay setups: the bench's own PostgreSQL and Redis.
// ---------------------------------------------------------------------------------------------

interface Infra {
  adminUrl: string;
  redisUrl: string;
  licenceKey: string;
  publicKey: TrustedKey;
  accessTokenSecret: string;
}
let infra: Infra | null = null;

async function relayInfra(): Promise<Infra> {
  if (infra) return infra;
  process.env.SIGHT_TEST_PG_PORT = String(BENCH_PG_PORT);
  process.env.SIGHT_TEST_REDIS_PORT = String(BENCH_REDIS_PORT);
  // @ts-expect-error a plain .mjs script shared with the tests
  const postgres = await import("../scripts/test-postgres.mjs");
  // @ts-expect-error a plain .mjs script shared with the tests
  const redis = await import("../scripts/test-redis.mjs");
  cleanups.push(() => (postgres.stopTestPostgres as () => void)());
  cleanups.push(() => (redis.stopTestRedis as () => void)());
  const adminUrl = (postgres.startTestPostgres() as { url: string }).url;
  const redisUrl = (redis.startTestRedis() as { url: string }).url;
  const licenceKey = await generateLicenceKeyJson();
  infra = {
    adminUrl,
    redisUrl,
    licenceKey,
    publicKey: (await importLicenceKey(licenceKey)).publicJwk as TrustedKey,
    accessTokenSecret: crypto.randomBytes(32).toString("base64url"),
  };
  return infra;
}

async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sight_bench_live_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: adminUrl.replace(/\/postgres$/, `/${name}`),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await client.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One setup.
// ---------------------------------------------------------------------------------------------

interface SetupResult {
  metrics: Record<string, number>;
  missing: number;
  notes: string[];
}

/**
 * One setup: measures the fan-out, hands the figures to `measured`, then stops the session as the
 * researcher would (direct: live.stopDirect, timed) and returns that step's figures.
 */
async function runSetup(
  setup: Setup,
  fakes: Fakes,
  measured: (result: SetupResult) => void,
): Promise<{ metrics: Record<string, number>; notes: string[] }> {
  const local: Array<() => Promise<void>> = [];
  const notes: string[] = [];
  try {
    // The Cloud instances first (the host signs up against A).
    const clouds: CloudProcess[] = [];
    if (setup !== "direct") {
      const base = await relayInfra();
      const db = await freshDatabase(base.adminUrl);
      local.push(() => db.drop());
      const prefix = `sight-bench-${crypto.randomBytes(4).toString("hex")}:`;
      const names = setup === "relay2" ? ["A", "B"] : ["A"];
      for (const name of names) {
        const cloud = await startCloudProcess(name, {
          dataDir: tempDir(`sight-bench-live-cloud-${name}-`),
          licenceKey: base.licenceKey,
          accessTokenSecret: base.accessTokenSecret,
          databaseUrl: db.url,
          ...(setup === "relay2" ? { redisUrl: base.redisUrl, redisPrefix: prefix } : {}),
        });
        clouds.push(cloud);
        local.unshift(() => cloud.stop());
      }
    }

    const host = await startHost(
      fakes,
      clouds[0] ? { url: clouds[0].url, key: (await relayInfra()).publicKey } : undefined,
    );
    local.unshift(async () => {
      await host.services.close();
      fs.rmSync(host.dataDir, { recursive: true, force: true });
    });
    const { invite, token } = await host.invoke<RouteOutput<"live.createInvite">>("live.createInvite", {
      focusGroupId: host.focusGroupId,
      role: "viewer",
      expiresInHours: 24,
    });
    const sessionId = invite.sessionId;
    const feed = host.services.live.feed(sessionId);
    const planned = plan(EVENTS, host.focusGroupId, host.personas);
    const index = new Map(planned.map((event, i) => [event.key, i]));
    const published = new Float64Array(EVENTS).fill(Number.NaN);
    // The first subscriber, ahead of the direct server's sockets and the relay publisher.
    const off = feed.subscribe((event) => {
      const at = now();
      const key = keyOf(event);
      const i = key === null ? undefined : index.get(key);
      if (i !== undefined) published[i] = at;
    });
    local.unshift(async () => off());

    let urls: string[];
    if (setup === "direct") {
      const session = await host.invoke<LiveSession>("live.serveDirect", { sessionId, address: "127.0.0.1", port: 0 });
      urls = [session.direct!.url];
    } else {
      await host.invoke<LiveSession>("live.publishRelay", { sessionId });
      await until(
        async () =>
          (await host.services.live.status({ focusGroupId: host.focusGroupId })).session?.relay?.connected === true,
        30_000,
        "the host's relay connection",
      );
      urls = clouds.map((cloud) => cloud.url);
    }

    // The viewers.
    const joinMemory = memoryPeaks();
    const viewers = new ViewersProcess();
    local.unshift(() => viewers.stop());
    const connected = await viewers.request(
      { type: "connect", urls, token, sessionId, count: VIEWERS, concurrency: CONNECT_CONCURRENCY },
      "connected",
      900_000,
    );
    if (connected.failed > 0)
      throw new Error(`${connected.failed} of ${VIEWERS} viewers could not connect: ${connected.errors.join("; ")}`);
    const settled = await viewers.next("settled", 1_260_000);
    const joinPeaks = joinMemory.stop();
    const joinDrops = Object.values(settled.disconnects).reduce((sum, n) => sum + n, 0);
    if (joinDrops > 0)
      notes.push(
        `${setup}: while joining, ${joinDrops} viewers were dropped (${JSON.stringify(settled.disconnects)}); ${settled.reconnects} reconnects.`,
      );
    if (!settled.quiet)
      notes.push(
        `${setup}: after joining, the viewers stood at different seqs (${settled.minSeq}–${settled.maxSeq}): a gap that did not fill (no live:sync here).`,
      );
    let presence = 0;
    await until(
      async () => {
        presence = (await host.services.live.status({ focusGroupId: host.focusGroupId })).session?.viewers.length ?? 0;
        return presence >= VIEWERS;
      },
      60_000,
      `the host's presence to show ${VIEWERS} viewers`,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message} (it shows ${presence})`);
    });
    const clock = await viewers.clockOffset();
    // "track" then a round trip: the viewers' process has the keys before the first event leaves.
    viewers.send({ type: "track", keys: planned.map((event) => event.key) });
    await viewers.request({ type: "ping", t0: 0 }, "pong");

    // The join leaves hundreds of MB of garbage in every process (its presence events): collect
    // it now, so that the fan-out measures the fan-out and not a major GC the join caused.
    globalThis.gc?.();
    await Promise.all([viewers.child, ...clouds.map((cloud) => cloud.child)].map((child) => collectGarbage(child)));
    // Baseline: the host's lag with the viewers connected and nothing published (the sampling
    // resolution is 5 ms, so an idle loop reads about 5 ms).
    const idle = await withLoopLag(() => sleep(IDLE_BASELINE_MS));

    // The fan-out.
    const loadBefore = loadAverage();
    const cpuBefore = process.cpuUsage();
    const viewersCpuBefore = processCpuMs(viewers.child.pid);
    const cloudCpuBefore = clouds.map((cloud) => processCpuMs(cloud.child.pid));
    const ticksBefore = machineTicks();
    const fanoutStarted = performance.now();
    const expected = VIEWERS * EVENTS;
    const fanoutMemory = memoryPeaks();
    let received = 0;
    const run = await withLoopLag(async () => {
      const started = performance.now();
      const interval = 1000 / EVENTS_PER_S;
      for (let i = 0; i < EVENTS; i += 1) {
        const wait = started + i * interval - performance.now();
        if (wait > 0) await sleep(wait);
        feed.publish(planned[i]!.body);
      }
      const publishMs = performance.now() - started;
      const drainStarted = performance.now();
      await until(
        async () => {
          ({ received } = await viewers.request({ type: "status" }, "status"));
          return received >= expected;
        },
        DRAIN_TIMEOUT_MS,
        "every viewer to receive every event",
      ).catch((error: unknown) => notes.push(`${setup}: ${(error as Error).message} (${received} of ${expected})`));
      return { publishMs, drainMs: performance.now() - drainStarted };
    });
    const hostCpuMs = (() => {
      const used = process.cpuUsage(cpuBefore);
      return (used.user + used.system) / 1000;
    })();
    const viewersCpuMs = processCpuMs(viewers.child.pid) - viewersCpuBefore;
    const cloudCpuMs = clouds.map((cloud, i) => processCpuMs(cloud.child.pid) - cloudCpuBefore[i]!);
    const loadAfter = loadAverage();
    const fanoutWallMs = performance.now() - fanoutStarted;
    const ticksAfter = machineTicks();
    const machineBusyCores =
      ((ticksAfter.busy - ticksBefore.busy) / (ticksAfter.total - ticksBefore.total)) * os.cpus().length;
    const fanoutPeaks = fanoutMemory.stop();
    const viewersPeakRssMb = childPeakRssMb(viewers.child.pid);
    const cloudPeakRssMb = clouds.map((cloud) => childPeakRssMb(cloud.child.pid));
    const report = await viewers.request({ type: "report" }, "report", 60_000);

    // Latency of every (viewer, event) pair, on the host's clock.
    const latencies = new Float64Array(expected);
    const lastReceipt = new Float64Array(EVENTS).fill(Number.NEGATIVE_INFINITY);
    const firstReceipt = new Float64Array(EVENTS).fill(Number.POSITIVE_INFINITY);
    let pairs = 0;
    let missing = 0;
    for (const encoded of report.times) {
      const buffer = Buffer.from(encoded, "base64");
      const times = new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8);
      for (let i = 0; i < EVENTS; i += 1) {
        const at = times[i]!;
        if (Number.isNaN(at) || Number.isNaN(published[i]!)) {
          missing += 1;
          continue;
        }
        const latency = at - clock.offsetMs - published[i]!;
        latencies[pairs++] = latency;
        if (latency > lastReceipt[i]!) lastReceipt[i] = latency;
        if (latency < firstReceipt[i]!) firstReceipt[i] = latency;
      }
    }
    missing += (VIEWERS - report.times.length) * EVENTS;
    const sorted = latencies.subarray(0, pairs).sort();
    const completion = lastReceipt.filter(Number.isFinite).sort();
    const first = firstReceipt.filter(Number.isFinite).sort();
    const p = setup;
    const metrics: Record<string, number> = {
      [`${p}_viewers`]: VIEWERS,
      [`${p}_events`]: EVENTS,
      [`${p}_connect_ms`]: connected.ms,
      [`${p}_settle_ms`]: settled.ms,
      [`${p}_join_presence_entries`]: settled.presenceEntries,
      [`${p}_latency_p50_ms`]: percentile(sorted, 50),
      [`${p}_latency_p99_ms`]: percentile(sorted, 99),
      [`${p}_latency_max_ms`]: sorted[sorted.length - 1] ?? Number.NaN,
      [`${p}_latency_min_ms`]: sorted[0] ?? Number.NaN,
      [`${p}_first_viewer_p50_ms`]: percentile(first, 50),
      [`${p}_first_viewer_p99_ms`]: percentile(first, 99),
      [`${p}_all_viewers_p50_ms`]: percentile(completion, 50),
      [`${p}_all_viewers_p99_ms`]: percentile(completion, 99),
      [`${p}_delivered`]: pairs,
      [`${p}_expected`]: expected,
      [`${p}_missing`]: missing,
      [`${p}_duplicates`]: report.duplicates,
      [`${p}_out_of_order`]: report.outOfOrder,
      [`${p}_join_disconnects`]: joinDrops,
      [`${p}_join_reconnects`]: settled.reconnects,
      [`${p}_disconnects`]: Object.values(report.disconnects).reduce((sum, n) => sum + n, 0),
      [`${p}_reconnects`]: report.reconnects,
      // Events published in one tick (direct) or one host batch (relay) share a packet.
      [`${p}_packets_per_viewer`]: report.packets / VIEWERS,
      [`${p}_publish_rate_per_s`]: (EVENTS / run.value.publishMs) * 1000,
      [`${p}_drain_after_last_ms`]: run.value.drainMs,
      [`${p}_host_lag_p99_ms`]: run.p99Ms,
      [`${p}_host_lag_max_ms`]: run.maxMs,
      [`${p}_host_lag_idle_p99_ms`]: idle.p99Ms,
      [`${p}_host_cpu_ms`]: hostCpuMs,
      [`${p}_host_heap_peak_join_mb`]: joinPeaks.heapMb,
      [`${p}_host_rss_peak_join_mb`]: joinPeaks.rssMb,
      [`${p}_host_heap_peak_fanout_mb`]: fanoutPeaks.heapMb,
      [`${p}_viewers_rss_peak_mb`]: viewersPeakRssMb,
      [`${p}_viewers_lag_p99_ms`]: report.lagP99Ms,
      [`${p}_viewers_lag_max_ms`]: report.lagMaxMs,
      [`${p}_viewers_cpu_ms`]: viewersCpuMs,
      [`${p}_clock_offset_ms`]: clock.offsetMs,
      [`${p}_clock_rtt_ms`]: clock.rttMs,
      [`${p}_fanout_wall_ms`]: fanoutWallMs,
      // CPU of the bench's processes (host, viewers, Clouds) and of the whole machine, in cores.
      [`${p}_bench_busy_cores`]:
        (hostCpuMs + viewersCpuMs + cloudCpuMs.reduce((sum, ms) => sum + ms, 0)) / fanoutWallMs,
      [`${p}_machine_busy_cores`]: machineBusyCores,
      [`${p}_load_average_1m`]: os.loadavg()[0]!,
    };
    cloudCpuMs.forEach((ms, i) => (metrics[`${p}_cloud_${"ab"[i]}_cpu_ms`] = ms));
    cloudPeakRssMb.forEach((mb, i) => (metrics[`${p}_cloud_${"ab"[i]}_rss_peak_mb`] = mb));
    notes.push(
      `${setup}: ${VIEWERS} viewers on ${urls.join(" + ")}; load average ${loadBefore} before the fan-out, ${loadAfter} after.`,
    );
    const others = machineBusyCores - metrics[`${p}_bench_busy_cores`]!;
    if (others > 0.3)
      notes.push(
        `${setup}: other processes used ${others.toFixed(2)} of the ${os.cpus().length} cores during the fan-out: its figures are skewed by them.`,
      );
    if (Object.keys(report.disconnects).length)
      notes.push(
        `${setup}: during the fan-out, disconnects ${JSON.stringify(report.disconnects)}, ${report.reconnects} reconnects.`,
      );
    if (missing > 0 || report.duplicates > 0)
      notes.push(`${setup}: ${missing} (viewer, event) pairs missing, ${report.duplicates} duplicates.`);
    measured({ metrics, missing, notes });

    // Stopping: every viewer that leaves is announced to those still connected, with the list.
    const stop: { metrics: Record<string, number>; notes: string[] } = { metrics: {}, notes: [] };
    if (setup === "direct") {
      const before = childPeakRssMb(process.pid);
      const started = performance.now();
      await host.invoke("live.stopDirect", { sessionId });
      stop.metrics[`${p}_stop_ms`] = performance.now() - started;
      stop.metrics[`${p}_host_rss_peak_before_stop_mb`] = before;
      stop.metrics[`${p}_host_rss_peak_after_stop_mb`] = childPeakRssMb(process.pid);
    }
    return stop;
  } finally {
    for (const step of local) await step().catch((error: unknown) => console.error(`clean-up: ${String(error)}`));
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<never> {
  process.on("exit", () => {
    killAllChildren();
    runCleanups();
    removeTempDirs();
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

  const metrics: Record<string, number> = {};
  const targets: Record<string, { limit: number; met: boolean }> = {};
  const notes: string[] = [
    `${VIEWERS} viewers (socket.io-client, websocket) in one process; ${EVENTS} events at ${EVENTS_PER_S}/s (deltas of 16–64 characters, a finished message every ${MESSAGE_EVERY}th); ${CONNECT_CONCURRENCY} handshakes in flight while connecting.`,
    "Both relay setups use a fresh database on the bench's PostgreSQL; relay1's relay is in memory (no Redis), relay2's on Redis.",
  ];
  const failures: string[] = [];
  /**
   * The figures so far, written before each setup starts and once it has measured: if the bench
   * dies (the host out of memory), the file still has them and says where it died.
   */
  function writePartial(where: string) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const partial = {
      name: "live-fanout",
      metrics,
      targets,
      notes: [...notes, where],
      partial: true,
      measuredAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(RESULTS_DIR, "live-fanout.json"), `${JSON.stringify(partial, null, 2)}\n`);
  }
  try {
    fakes = await startFakesChild();
    for (const setup of SETUPS) {
      console.log(`\n  ${setup}: ${VIEWERS} viewers, ${EVENTS} events…`);
      writePartial(`${setup}: started and did not finish: the bench process died during it.`);
      try {
        const stop = await runSetup(setup, fakes, (result) => {
          Object.assign(metrics, result.metrics);
          notes.push(...result.notes);
          targets[`${setup}_latency_p99_ms`] = target(result.metrics[`${setup}_latency_p99_ms`]!, TARGET_P99_MS);
          if (result.missing > 0)
            failures.push(`${setup}: ${result.missing} (viewer, event) pairs were never delivered`);
          console.log(
            `  ${setup}: p50 ${result.metrics[`${setup}_latency_p50_ms`]!.toFixed(2)} ms, p99 ${result.metrics[`${setup}_latency_p99_ms`]!.toFixed(2)} ms`,
          );
          writePartial(
            `${setup}: measured; the bench process died after that, while stopping the session (direct: live.stopDirect) or cleaning up.`,
          );
        });
        Object.assign(metrics, stop.metrics);
        notes.push(...stop.notes);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`  ${setup} FAILED: ${message}`);
        failures.push(`${setup}: ${message}`);
        notes.push(`${setup}: FAILED: ${message}`);
      }
    }
    metrics.load_average_1m = os.loadavg()[0]!;
    writeResult({ name: "live-fanout", metrics, targets, notes });
  } finally {
    await fakes?.stop();
    killAllChildren();
    runCleanups();
    removeTempDirs();
  }
  if (failures.length) {
    console.error(`\nlive-fanout FAILED:\n  ${failures.join("\n  ")}`);
    process.exit(1);
  }
  // Sockets and workers of closed apps may linger a moment: leave now.
  process.exit(0);
}

if (isWorker()) await main();
else await supervise(import.meta.filename);
