import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { hydrated, settle, watchConsole } from "./helpers";
import { herald } from "./herald";

const bin = process.env.HERALD_E2E_BIN ?? "../target/release/herald";
const password = "correct horse battery";

test("add an HTTP check on the monitoring page; it drives its component's status", async ({ page, baseURL }, info) => {
  // The bad address below is refused with a 422 on purpose.
  const problems = watchConsole(page, [422]);
  const slug = `watchco-${info.project.name}`;
  const email = `ops-${info.project.name}@watchco.example`;
  execFileSync(bin, ["create-admin", "--email", email, "--organization", `WatchCo ${info.project.name}`, "--slug", slug], {
    env: { ...process.env, HERALD_LOG: "warn", HERALD_ADMIN_PASSWORD: password },
  });
  const file = join(mkdtempSync(join(tmpdir(), "herald-e2e-")), "watchco.yaml");
  writeFileSync(file, ["version: 1", "organization:", `  name: WatchCo ${info.project.name}`, "  default_locale: en", "  time_zone: UTC", "components:", "- key: website", "  name: Website", ""].join("\n"));
  herald("config", "import", "--org", slug, "--file", file);

  await page.goto(`/dashboard/${slug}/checks`);
  await settle(page, info);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/checks$`));
  await settle(page, info);
  await expect(page.getByText("No checks yet.")).toBeVisible();
  if (hydrated(info)) {
    // Only the chosen kind's fields show once the page is interactive.
    await expect(page.locator("#new-check-port")).toBeHidden();
    await page.locator("#new-check-kind").selectOption("tcp");
    await expect(page.locator("#new-check-port")).toBeVisible();
    await expect(page.locator("#new-check-url")).toBeHidden();
    await page.locator("#new-check-kind").selectOption("http");
  }

  // A bad address is refused next to its field, nothing added.
  await page.locator("#new-check-name").fill("Website health");
  await page.locator("#new-check-url").fill("not an address");
  await page.locator("#new-check-component").selectOption({ label: "Website" });
  await page.getByRole("button", { name: "Add check" }).click();
  await settle(page, info);
  if (hydrated(info)) {
    await expect(page.locator(".field--invalid")).toContainText("https://");
    await page.locator("#new-check-url").fill(`${baseURL}/healthz`);
    await page.getByRole("button", { name: "Add check" }).click();
  } else {
    // Without JavaScript the form comes back; fill it again, correctly.
    await page.locator("#new-check-name").fill("Website health");
    await page.locator("#new-check-url").fill(`${baseURL}/healthz`);
    await page.locator("#new-check-component").selectOption({ label: "Website" });
    await page.getByRole("button", { name: "Add check" }).click();
  }
  await settle(page, info);
  const entry = page.locator(".check", { hasText: "Website health" });
  await expect(entry).toContainText("Drives Website");
  await expect(page.locator("#new-check-name")).toHaveValue("");

  // Its first run comes within seconds; with JavaScript the page follows by itself.
  await expect(async () => {
    if (!hydrated(info)) await page.reload();
    await expect(entry.locator(".check__state")).toHaveText("Up", { timeout: 1_000 });
  }).toPass({ timeout: 25_000 });
  await expect(entry).toContainText("Uptime 24 h 100.00 %");
  const visitor = await page.context().newPage();
  // The public page is re-rendered in the background after a change; until the new bytes are
  // ready the previous ones are served, so a visitor without JavaScript may need a reload.
  await expect(async () => {
    await visitor.goto(`/s/${slug}`);
    await expect(visitor.locator(".status-main")).toContainText("Website", { timeout: 500 });
    await expect(visitor.locator(".banner")).toContainText("All systems operational", { timeout: 500 });
  }).toPass({ timeout: 5_000 });

  // Edited in place: the form starts from what is stored.
  await entry.getByText("Edit Website health").click();
  const name = entry.getByLabel("Name", { exact: true });
  await expect(name).toHaveValue("Website health");
  await expect(entry.getByLabel("URL")).toHaveValue(`${baseURL}/healthz`);
  await name.fill("Website home");
  await entry.getByLabel("Slow above (ms)").fill("2000");
  await entry.getByRole("button", { name: "Save Website health" }).click();
  await settle(page, info);
  const edited = page.locator(".check", { hasText: "Website home" });
  await expect(edited).toContainText("Drives Website");

  // Pausing takes it out of the component's status.
  await edited.getByRole("button", { name: "Pause Website home" }).click();
  await settle(page, info);
  await expect(page.locator(".check", { hasText: "Website home" }).locator(".check__state")).toHaveText("Paused");
  expect(problems).toEqual([]);
});
