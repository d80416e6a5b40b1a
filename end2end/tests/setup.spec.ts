import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { settle, watchConsole } from "./helpers";
import { ExtraServer, freePort } from "./herald";

// Setup happens once per instance, and other tests make accounts on the shared one: each pass
// gets an instance of its own, on an empty database, and completes setup there.
let server: ExtraServer;

test.beforeAll(async () => {
  const database = join(mkdtempSync(join(tmpdir(), "herald-setup-")), "herald.db");
  server = new ExtraServer(await freePort(), { DATABASE_URL: `sqlite://${database}` });
  await server.start();
});

test.afterAll(async () => {
  await server?.stop();
});

test("setup explains bad input next to the field and keeps the form", async ({ page }, info) => {
  // The refusal is an HTTP 422 answer to the form's request.
  const problems = watchConsole(page, [422]);
  await page.goto(`${server.url}/setup`);
  await settle(page, info);
  await page.getByLabel("Name").fill("Globex");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByLabel("Password again").fill("correct horse battery");
  await page.getByRole("button", { name: "Create administrator and page" }).click();
  await expect(page.locator("#email-error")).toContainText(/email/i);
  await expect(page.getByRole("heading", { name: "Set up Herald" })).toBeVisible();
  expect(problems).toEqual([]);
});

test("setup creates the first administrator and opens the new page", async ({ page }, info) => {
  const problems = watchConsole(page);
  await page.goto(`${server.url}/setup`);
  await settle(page, info);
  await page.getByLabel("Name").fill("Globex Corporation");
  await page.getByLabel("Page address").fill("globex");
  await page.getByLabel("Email").fill("admin@globex.example");
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
  await page.getByLabel("Password again").fill("correct horse battery");
  await page.getByRole("button", { name: "Create administrator and page" }).click();
  await expect(page).toHaveURL(/\/s\/globex$/);
  await expect(page.getByRole("heading", { level: 1, name: "Globex Corporation" })).toBeVisible();

  await page.goto(`${server.url}/setup`);
  await expect(page.getByRole("heading", { name: "Herald is already set up" })).toBeVisible();
  expect(problems).toEqual([]);
});
