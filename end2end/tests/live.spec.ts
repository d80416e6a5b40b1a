import { expect, test } from "@playwright/test";
import { hydrated, settle, watchConsole } from "./helpers";
import { ExtraServer, freePort, herald, openIncident, resolveIncident } from "./herald";

const live = (page: import("@playwright/test").Page) => page.locator(".live");

test("an incident opened elsewhere appears on an open page within a second, without a reload", async ({ page }, info) => {
  test.skip(!hydrated(info), "live updates need JavaScript; without it the page is as fresh as its last load");
  const problems = watchConsole(page);
  await page.goto("/s/demo");
  await settle(page, info);
  await expect(live(page)).toHaveClass(/live--on/);
  await expect(live(page)).toHaveText("Live");
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  const name = `Checkout is failing ${Date.now()}`;
  const id = openIncident(name);
  try {
    await expect(page.getByRole("heading", { name })).toBeVisible({ timeout: 1_000 });
    await expect(page.locator(".banner")).toHaveClass(/banner--major/, { timeout: 1_000 });
    await expect(page.locator(".component", { hasText: "API" }).first()).toContainText("Partial outage");
  } finally {
    resolveIncident(id);
  }
  await expect(page.getByRole("heading", { name })).toHaveCount(0, { timeout: 2_000 });

  herald("component", "set-status", "--org", "demo", "--component", "webhooks=major_outage");
  try {
    await expect(page.locator(".component", { hasText: "Webhooks" })).toContainText("Major outage", { timeout: 1_000 });
  } finally {
    herald("component", "set-status", "--org", "demo", "--component", "webhooks=operational");
  }
  await expect(page.locator(".component", { hasText: "Webhooks" })).toContainText("Operational", { timeout: 2_000 });

  const sameDocument = await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument);
  expect(sameDocument, "the page was never reloaded").toBe(true);
  expect(problems).toEqual([]);
});

test("after the server restarts, the open page reconnects and catches up", async ({ page }, info) => {
  test.skip(!hydrated(info), "reconnecting is the browser's job");
  test.setTimeout(90_000);
  const server = new ExtraServer(await freePort());
  await server.start();
  try {
    await page.goto(`${server.url}/s/demo`);
    await settle(page, info);
    await expect(live(page)).toHaveClass(/live--on/);

    await server.stop();
    await expect(live(page)).toHaveClass(/live--off/, { timeout: 5_000 });
    await expect(live(page)).toHaveText("Reconnecting…");

    // Happens while nobody is serving this page: only the resynchronisation can bring it.
    const name = `Missed while down ${Date.now()}`;
    const id = openIncident(name, "dashboard");
    try {
      await server.start();
      await expect(live(page)).toHaveClass(/live--on/, { timeout: 40_000 });
      await expect(page.getByRole("heading", { name })).toBeVisible({ timeout: 2_000 });
    } finally {
      resolveIncident(id);
    }
  } finally {
    await server.stop();
  }
});

test("heatmap days show their tooltip on keyboard focus", async ({ page }, info) => {
  await page.goto("/s/demo");
  await settle(page, info);
  const api = page.locator(".component", { hasText: "API" }).first();
  const days = api.locator(".heatmap > li");
  await expect(days).toHaveCount(90);

  // Reach the heatmap with the keyboard: focus the component before it, then Tab.
  const target = hydrated(info) ? days.last() : days.first();
  await page.locator(".component-group__summary", { hasText: "Core platform" }).focus();
  for (let step = 0; step < 400; step += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) break;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
  const label = (await target.getAttribute("aria-label")) ?? "";
  expect(label).toMatch(/\d{4} — .*(uptime|No data)/);
  const tooltip = await target.evaluate((element) => {
    const style = getComputedStyle(element, "::after");
    return { content: style.content, visibility: style.visibility, opacity: style.opacity };
  });
  expect(tooltip.content).toBe(JSON.stringify(label));
  expect(tooltip.visibility).toBe("visible");
  expect(tooltip.opacity).toBe("1");

  const hiddenTooltip = await days.nth(10).evaluate((element) => getComputedStyle(element, "::after").visibility);
  expect(hiddenTooltip).toBe("hidden");

  if (hydrated(info)) {
    // One tab stop per row; the arrows move between days.
    await page.keyboard.press("ArrowLeft");
    await expect(days.nth(88)).toBeFocused();
    await page.keyboard.press("Home");
    await expect(days.first()).toBeFocused();
    await page.keyboard.press("End");
    await expect(days.last()).toBeFocused();
    await expect(days.nth(5)).toHaveAttribute("tabindex", "-1");
  }
});

test("the embed renders inside an iframe on another origin", async ({ page, baseURL }, info) => {
  const problems = watchConsole(page);
  const { createServer } = await import("node:http");
  const embedder = createServer((_, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(
      `<!doctype html><title>Partner</title><h1>Our partner</h1>` +
        `<iframe id="light" src="${baseURL}/s/demo/embed" width="420" height="120"></iframe>` +
        `<iframe id="dark" src="${baseURL}/s/demo/embed?theme=dark&lang=de" width="420" height="120"></iframe>`,
    );
  });
  const port = await freePort();
  await new Promise<void>((resolve) => embedder.listen(port, "localhost", resolve));
  try {
    await page.goto(`http://localhost:${port}/`);
    const light = page.frameLocator("#light");
    await expect(light.locator(".embed__headline")).toHaveText(/Minor service disruption|Partial system outage|All systems operational/);
    await expect(light.locator("a.embed__card")).toHaveAttribute("href", "/s/demo");
    await expect(light.locator(".embed__more")).toContainText("View status page");
    const dark = page.frameLocator("#dark");
    await expect(dark.locator(".embed--dark")).toBeVisible();
    await expect(dark.locator(".embed__more")).toContainText("Statusseite öffnen");
    if (hydrated(info)) {
      await expect(dark.locator("html")).toHaveAttribute("data-hydrated", "true", { timeout: 15_000 });
    }
  } finally {
    embedder.close();
  }
  expect(problems).toEqual([]);
});

test("the full page refuses to be framed elsewhere; the embed allows it", async ({ request }) => {
  const page = await request.get("/s/demo");
  expect(page.headers()["content-security-policy"]).toContain("frame-ancestors 'self'");
  const embed = await request.get("/s/demo/embed");
  expect(embed.headers()["content-security-policy"]).toContain("frame-ancestors *");
});

test("incident, history and translated pages render", async ({ page }, info) => {
  const problems = watchConsole(page);
  await page.goto("/s/demo/history");
  await settle(page, info);
  await expect(page.getByRole("heading", { level: 1, name: "Incident history" })).toBeVisible();
  await page.locator(".history__name").first().click();
  await expect(page).toHaveURL(/\/s\/demo\/(incidents|maintenance)\/\d+$/);
  await settle(page, info);
  await expect(page.locator(".timeline__entry").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Current status" })).toBeVisible();

  await page.goto("/s/demo?lang=de");
  await settle(page, info);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByText("Aktuelle Störungen")).toBeVisible();
  await page.goto("/s/demo?lang=fr");
  await settle(page, info);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByText("Incidents en cours")).toBeVisible();
  expect(problems).toEqual([]);
});
