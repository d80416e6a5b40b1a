import { expect, test } from "@playwright/test";
import { settle, watchConsole } from "./helpers";

test("subscribe to the demo page by email and by webhook, from its link", async ({ page }, info) => {
  // The second email subscription of the same address is fine; the bad one is refused with 422.
  const problems = watchConsole(page, [422]);
  await page.goto("/s/demo");
  await settle(page, info);
  await page.getByRole("link", { name: "Subscribe to updates" }).click();
  await expect(page).toHaveURL(/\/s\/demo\/subscribe$/);
  await expect(page.getByRole("heading", { name: "Get status updates" })).toBeVisible();

  await page.getByLabel("Email address").fill("not-an-address");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("alert").first()).toContainText("needs an @");

  const address = `reader-${info.project.name}@example.com`;
  await page.getByLabel("Email address").fill(address);
  await page.getByRole("radio", { name: "Incidents only" }).check();
  await page.getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByText(address)).toBeVisible();

  await page.goto("/s/demo/subscribe?channel=webhook");
  await expect(page.getByRole("link", { name: "Webhook" })).toHaveAttribute("aria-current", "page");
  await page.getByLabel("Endpoint URL").fill(`https://hooks.example.com/herald/${info.project.name}`);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("heading", { name: "Webhook subscribed" })).toBeVisible();
  await expect(page.getByTestId("webhook-secret")).toContainText("whsec_");

  // The feeds the page links to are real documents.
  const rss = await page.request.get("/s/demo/history.rss");
  expect(rss.headers()["content-type"]).toContain("application/rss+xml");
  expect(await rss.text()).toContain("<rss");
  const calendar = await page.request.get("/s/demo/maintenance.ics");
  expect(await calendar.text()).toContain("BEGIN:VCALENDAR");
  expect(problems).toEqual([]);
});
