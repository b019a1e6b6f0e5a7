import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { findElectronBinary } from "../../scripts/electron-binary.mjs";
import { README_COMMANDS } from "../support/readme-commands";
import {
  LOGIN_URL,
  REPO_ROOT,
  runReadmeCommand,
  temporaryDataDir,
  type RunningCommand,
} from "../support/readme-runner";

/**
 * A new user's first hour: the README's commands, run as written in bash from a clone's root, and
 * what they lead to in the browser. Only the documented environment variables are added
 * (SIGHT_PORT=0 where the command names no port, so runs never collide; SIGHT_DATA_DIR, so a test
 * never touches anyone's data). tests/scripts/readme.test.ts checks that every README command is
 * here or said to run elsewhere.
 */

const running: RunningCommand[] = [];
const dataDirs: string[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((command) => command.stop()));
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs a README command; the type keeps it to the commands the README (README_COMMANDS) holds. */
function run(command: keyof typeof README_COMMANDS | "npm start", env: Record<string, string> = {}): RunningCommand {
  const started = runReadmeCommand(command, { env });
  running.push(started);
  return started;
}

function dataDir(label: string): string {
  const dir = temporaryDataDir(label);
  dataDirs.push(dir);
  return dir;
}

/** Opens the printed address like a new user: the token becomes a cookie, the app loads. */
async function signIn(page: Page, loginUrl: string) {
  await page.goto(loginUrl);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page).not.toHaveURL(/token=/);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A GET with a Host header of our choosing (a browser on another machine would send its own). */
function getWithHost(port: number, hostHeader: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: "127.0.0.1",
        port,
        path: "/api/v1/projects",
        headers: { Host: hostHeader, Authorization: `Bearer ${token}` },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
  });
}

const tokenOf = (loginUrl: string) => new URL(loginUrl).searchParams.get("token")!;

/** Signs in, makes a project and generates one persona through the UI, with the provider named as the fake. */
async function generateOnePersona(page: Page, loginUrl: string) {
  await signIn(page, loginUrl);
  const origin = new URL(loginUrl).origin;
  const response = await page.request.post(`${origin}/api/v1/projects`, {
    headers: { Authorization: `Bearer ${tokenOf(loginUrl)}` },
    data: { name: "First hour", targetSampleSize: 1, targetDemographics: { gender: { female: 0.5, male: 0.5 } } },
  });
  expect(response.status()).toBe(201);
  const project = (await response.json()) as { id: string };
  await page.goto(`${origin}/#/projects/${project.id}/personas`);
  await expect(page.getByTestId("provider-status")).toContainText("Test provider (fake)");
  await page.getByRole("button", { name: "Generate personas" }).first().click();
  const wizard = page.getByRole("dialog", { name: "Generate personas" });
  await expect(wizard.getByTestId("provider-status")).toContainText("Test provider (fake)");
  await expect(wizard).not.toContainText("is not set up");
  await wizard.getByLabel("How many").fill("1");
  await wizard.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(page.getByTestId("persona-card")).toHaveCount(1, { timeout: 45_000 });
  await expect(page.getByTestId("toast").filter({ hasText: "1 persona generated" })).toBeVisible();
}

test.describe("the README's commands, as written", () => {
  test.setTimeout(180_000);

  test("the README's no-key command: generate personas with the test provider", async ({ page }) => {
    const command = run('eval "$(npm run -s fakes -- --detach)" && npm run web', {
      SIGHT_PORT: "0",
      SIGHT_DATA_DIR: dataDir("eval"),
    });
    // The fakes say how to stop them (the afterEach does), then the host prints its address.
    await command.waitFor(/fakes: running in the background as pid \d+; stop with: kill \d+/);
    const [, loginUrl] = await command.waitFor(LOGIN_URL);
    await generateOnePersona(page, loginUrl!);
  });

  test("npm run web -- --fakes: the AI works without a key", async ({ page }) => {
    const command = run("npm run web -- --fakes", { SIGHT_PORT: "0", SIGHT_DATA_DIR: dataDir("fakes") });
    await command.waitFor(/Using the loopback AI fakes at http:\/\/127\.0\.0\.1:\d+ \(no API key needed\)\./);
    const [, loginUrl] = await command.waitFor(LOGIN_URL);
    await generateOnePersona(page, loginUrl!);
    await page.goto(`${new URL(loginUrl!).origin}/#/settings`);
    await expect(page.getByTestId("provider-card")).toContainText("Test provider (fake)");
  });

  test("npm run web: the printed address signs in, and a restart prints a new token", async ({ page }) => {
    const port = String(await freePort());
    const data = dataDir("web");
    const first = run("npm run web", { SIGHT_PORT: port, SIGHT_DATA_DIR: data });
    const [, firstUrl] = await first.waitFor(LOGIN_URL);
    await first.waitFor(
      /The token is new at every start: after a restart, open the new address \(old addresses and sign-ins stop working\)\. To keep one token, give --token or SIGHT_API_TOKEN \(16 characters or more\)\./,
    );
    await signIn(page, firstUrl!);
    await first.stop();

    const second = run("npm run web", { SIGHT_PORT: port, SIGHT_DATA_DIR: data });
    const [, secondUrl] = await second.waitFor(LOGIN_URL);
    expect(tokenOf(secondUrl!)).not.toBe(tokenOf(firstUrl!));
    // The old sign-in and the old address are refused, with a page saying what to do.
    const reloaded = await page.reload();
    expect(reloaded?.status(), `the reload answered ${reloaded?.url()}:\n${await page.content()}`).toBe(401);
    await expect(page.getByText("Open the address the Sight host printed when it started")).toBeVisible();
    await page.goto(firstUrl!);
    await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    await signIn(page, secondUrl!);
  });

  test("npm run web on a port something else holds: one line that says what to do, no stack trace", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const command = run("npm run web", { SIGHT_PORT: String(port), SIGHT_DATA_DIR: dataDir("busy") });
      await command.waitFor(
        new RegExp(
          `Sight cannot listen on 127\\.0\\.0\\.1:${port}: something else is using that port \\(another Sight host, ` +
            "still running or shutting down, say\\)\\. Stop it, or choose another port with --port or SIGHT_PORT\\.",
        ),
      );
      await expect.poll(() => command.exited(), { timeout: 10_000 }).toBe(true);
      expect(command.output()).not.toMatch(/Open this address|EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  test("npm run web -- --port 8080 --data-dir ./data", async ({ page }) => {
    const dataFolder = path.join(REPO_ROOT, "data");
    test.skip(fs.existsSync(dataFolder), "./data already exists in this clone; the test never touches it");
    test.skip(!(await portIsFree(8080)), "port 8080 is in use on this machine");
    try {
      const command = run("npm run web -- --port 8080 --data-dir ./data");
      const [, loginUrl] = await command.waitFor(LOGIN_URL);
      expect(new URL(loginUrl!).port).toBe("8080");
      expect(command.output()).toContain(`Sight is running (data in ${dataFolder}).`);
      await signIn(page, loginUrl!);
      expect(fs.existsSync(path.join(dataFolder, "sight.db"))).toBe(true);
      await command.stop();
    } finally {
      fs.rmSync(dataFolder, { recursive: true, force: true });
    }
  });

  test("npm run web -- --host 0.0.0.0 --allowed-hosts: answers to the listed names only", async () => {
    const command = run("npm run web -- --host 0.0.0.0 --allowed-hosts mybox.local,192.168.1.20", {
      SIGHT_PORT: "0",
      SIGHT_DATA_DIR: dataDir("lan"),
    });
    await command.waitFor(/Warning: listening on 0\.0\.0\.0 makes Sight reachable from your network/);
    const [, port, token] = await command.waitFor(
      /or, from another machine: {2}http:\/\/mybox\.local:(\d+)\/\?token=(\S+)/,
    );
    await command.waitFor(new RegExp(`or, from another machine: {2}http://192\\.168\\.1\\.20:${port}/\\?token=`));
    const portNumber = Number(port);
    expect(await getWithHost(portNumber, `mybox.local:${port}`, decodeURIComponent(token!))).toBe(200);
    expect(await getWithHost(portNumber, `192.168.1.20:${port}`, decodeURIComponent(token!))).toBe(200);
    // DNS rebinding: a name nobody listed is refused (403) even with the right token.
    expect(await getWithHost(portNumber, `evil.example:${port}`, decodeURIComponent(token!))).toBe(403);
  });

  test("npm start without an Electron binary says so in one line and opens the app in the browser", async ({
    page,
  }) => {
    test.skip(
      findElectronBinary({ electronDir: path.join(REPO_ROOT, "node_modules", "electron") }) !== null,
      "this machine has an Electron binary, so npm start opens the desktop app",
    );
    // The second half of `npm install && npm start`: the install is what CI ran before these tests.
    const command = run("npm start", {
      SIGHT_PORT: "0",
      SIGHT_DATA_DIR: dataDir("start"),
    });
    const [, loginUrl] = await command.waitFor(LOGIN_URL);
    const lines = command.output().split("\n");
    const fallback = lines.findIndex((line) => line.startsWith("No Electron binary"));
    expect(lines[fallback]).toBe(
      "No Electron binary on this machine (`npx install-electron` fetches it from GitHub), so Sight starts in your browser through the headless host.",
    );
    // Nothing before it but npm's own banner, and no download attempt or stack trace anywhere.
    expect(lines.slice(0, fallback).filter((line) => line.trim() && !line.startsWith(">"))).toEqual([]);
    expect(command.output()).not.toMatch(/Downloading Electron|TypeError|fetch failed|\n\s+at /);
    await signIn(page, loginUrl!);
  });
});
