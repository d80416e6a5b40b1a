import { expect, test } from "@playwright/test";
import { settle, watchConsole } from "./helpers";

test("the front page lists the demo organization and its state", async ({ page }, info) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await settle(page, info);
  await expect(page.getByRole("heading", { level: 1, name: "Status pages" })).toBeVisible();
  const demo = page.getByRole("link", { name: /Acme Cloud/ });
  await expect(demo).toHaveAttribute("href", "/s/demo");
  await expect(page.getByText("Minor service disruption")).toBeVisible();
  expect(problems).toEqual([]);
});

test("the demo status page shows components, groups and the open incident", async ({ page }, info) => {
  const problems = watchConsole(page);
  const response = await page.goto("/s/demo");
  expect(response?.status()).toBe(200);
  await settle(page, info);

  await expect(page).toHaveTitle("Acme Cloud status");
  await expect(page.getByRole("heading", { level: 1, name: "Acme Cloud" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Minor service disruption" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Slow search queries" })).toBeVisible();

  for (const group of ["Core platform", "Data", "Delivery"]) {
    await expect(page.locator(".component-group__name", { hasText: group })).toBeVisible();
  }
  const search = page.locator(".component", { hasText: "Search" });
  await expect(search).toContainText("Degraded performance");
  await expect(page.locator(".component", { hasText: "API" }).first()).toContainText("Operational");
  // Shown only while degraded, and it is not.
  await expect(page.getByText("Legacy API v1")).toHaveCount(0);

  // Groups fold and unfold without JavaScript (native <details>).
  const data = page.locator(".component-group", { hasText: "Data" });
  await expect(data.locator(".component", { hasText: "Search" })).toBeVisible();
  await data.locator("summary").click();
  await expect(data.locator(".component", { hasText: "Search" })).toBeHidden();

  expect(problems).toEqual([]);
});

test("an unknown organization gets a real 404 page", async ({ page }, info) => {
  const response = await page.goto("/s/no-such-organization");
  expect(response?.status()).toBe(404);
  await settle(page, info);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByText("There is no status page at this address.")).toBeVisible();
});

test("the site's assets are served compressed and cacheable", async ({ request }) => {
  const css = await request.get("/pkg/herald.css", { headers: { "accept-encoding": "br" } });
  expect(css.status()).toBe(200);
  expect(css.headers()["content-type"]).toContain("text/css");
  expect(css.headers()["content-encoding"]).toBe("br");
  const etag = css.headers()["etag"];
  const again = await request.get("/pkg/herald.css", { headers: { "if-none-match": etag } });
  expect(again.status()).toBe(304);
  const wasm = await request.get("/pkg/herald.wasm");
  expect(wasm.headers()["content-type"]).toBe("application/wasm");
});
