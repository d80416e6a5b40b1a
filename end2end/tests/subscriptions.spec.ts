import { expect, test } from "@playwright/test";
import { settle, watchConsole } from "./helpers";

test("subscribe to the demo page by email and by webhook, from its link", async ({ page }, info) => {
  // The refused address is answered with a 422 on purpose.
  const problems = watchConsole(page, [422]);
  await page.goto("/s/demo");
  await settle(page, info);
  await page.getByRole("link", { name: "Subscribe to updates" }).click();
  await expect(page).toHaveURL(/\/s\/demo\/subscribe$/);
  await expect(page.getByRole("heading", { name: "Get status updates" })).toBeVisible();

  // The browser checks the address's shape itself; the server refuses what it cannot see.
  await page.getByLabel("Email address").fill("someone@mailinator.com");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("alert").first()).toContainText("throwaway");
  await expect(page.getByLabel("Email address")).toHaveValue("someone@mailinator.com");

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
