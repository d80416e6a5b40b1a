import { expect, test } from "@playwright/test";
import { hydrated, settle, watchConsole } from "./helpers";

test("subscribe to the demo page by email and by webhook, on the plain form", async ({ page }, info) => {
  // The refused address is answered with a 422 on purpose.
  const problems = watchConsole(page, [422]);
  await page.goto("/s/demo");
  await settle(page, info);
  const link = page.getByRole("link", { name: "Subscribe to updates" });
  await expect(link).toHaveAttribute("href", "/s/demo/subscribe");
  if (hydrated(info)) {
    // With JavaScript the link opens the dialog (tested below); the form is still there.
    await page.goto("/s/demo/subscribe");
  } else {
    await link.click();
  }
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

test("subscribe from the status page's dialog, without leaving the page", async ({ page }, info) => {
  test.skip(!hydrated(info), "the dialog needs JavaScript; without it the link opens the form (above)");
  const problems = watchConsole(page, [422]);
  await page.goto("/s/demo");
  await settle(page, info);
  await page.getByRole("link", { name: "Subscribe to updates" }).click();
  const dialog = page.getByRole("dialog", { name: "Get status updates" });
  await expect(dialog).toBeVisible();
  await expect(page).toHaveURL(/\/s\/demo$/);

  await dialog.getByLabel("Email address").fill("someone@mailinator.com");
  await dialog.getByRole("button", { name: "Subscribe" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: "throwaway" })).toBeVisible();

  const address = `dialog-reader@example.com`;
  await dialog.getByLabel("Email address").fill(address);
  await dialog.getByRole("radio", { name: "Incidents only" }).check();
  await dialog.getByRole("checkbox").first().check();
  await dialog.getByRole("button", { name: "Subscribe" }).click();
  await expect(dialog.getByRole("status")).toContainText(`We sent a confirmation link to ${address}.`);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole("link", { name: "Subscribe to updates" }).click();
  await dialog.getByRole("radio", { name: "Webhook" }).check();
  await dialog.getByLabel("Webhook URL").fill("https://hooks.example.com/herald/dialog");
  await dialog.getByRole("button", { name: "Subscribe" }).click();
  await expect(dialog.getByTestId("webhook-secret")).toContainText("whsec_");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect(problems).toEqual([]);
});
