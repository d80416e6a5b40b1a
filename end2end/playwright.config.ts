import { defineConfig, devices } from "@playwright/test";

// scripts/end2end.sh picks a free port, builds the database and exports these.
const port = process.env.HERALD_E2E_PORT ?? "3000";
const herald = process.env.HERALD_E2E_BIN ?? "../target/release/herald";
const baseURL = `http://127.0.0.1:${port}`;

// Debian's Chromium; Playwright never downloads a browser here.
const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: process.env.HERALD_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  // One server and one database: the JavaScript-off pass runs first, then the hydrated one.
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: { baseURL, trace: "off" },
  projects: [
    { name: "ssr", use: { ...chromium, javaScriptEnabled: false } },
    { name: "hydrated", use: { ...chromium, javaScriptEnabled: true }, dependencies: ["ssr"] },
  ],
  webServer: {
    command: `${herald} serve`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
