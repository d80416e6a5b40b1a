import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { hydrated, settle, watchConsole } from "./helpers";

const bin = process.env.HERALD_E2E_BIN ?? "../target/release/herald";
const password = "correct horse battery";

test("an editor adds, imports, tests and exports subscribers on the dashboard", async ({ page }, info) => {
  const problems = watchConsole(page);
  const slug = `letters-${info.project.name}`;
  const admin = `post-${info.project.name}@letters.example`;
  execFileSync(bin, ["create-admin", "--email", admin, "--organization", `Letters ${info.project.name}`, "--slug", slug], {
    env: { ...process.env, HERALD_LOG: "warn", HERALD_ADMIN_PASSWORD: password },
  });

  await page.goto(`/dashboard/${slug}/subscribers`);
  await page.getByLabel("Email").fill(admin);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/subscribers$`));
  await settle(page, info);
  await expect(page.getByRole("heading", { name: "Subscribers", exact: true })).toBeVisible();
  await expect(page.getByText("No subscribers match.")).toBeVisible();

  // One by one, vouched for.
  await page.getByText("Add a subscriber").click();
  await page.getByLabel("Address", { exact: true }).fill("first@letters.example");
  await page.getByLabel("This person agreed to hear from us").check();
  await page.getByRole("button", { name: "Add subscriber" }).click();
  if (hydrated(info)) {
    await expect(page.getByRole("status").filter({ hasText: "first@letters.example is subscribed." })).toBeVisible();
  }
  await expect(page.locator(".subscriber-table")).toContainText("first@letters.example");
  await expect(page.getByLabel("Address", { exact: true })).toHaveValue("");

  // A list: read from a file with JavaScript, pasted without.
  const list = "email,topic\nsecond@letters.example,incidents\nthird@letters.example,all\n";
  await page.getByText("Import a list (CSV)").click();
  if (hydrated(info)) {
    await page.getByLabel("File", { exact: true }).setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(list) });
    await expect(page.getByText("people.csv: 3 lines read")).toBeVisible();
    await expect(page.getByLabel("List", { exact: true })).toHaveValue(list);
  } else {
    await page.getByLabel("List", { exact: true }).fill(list);
  }
  await page.getByLabel("The people listed agreed to hear from us").check();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  if (hydrated(info)) {
    await expect(page.getByRole("status").filter({ hasText: "Imported 2 subscribers" })).toBeVisible();
  }
  await expect(page.locator(".subscriber-table")).toContainText("third@letters.example");
  await expect(page.locator(".subscribers__counts")).toContainText("3 confirmed");

  // A test message, then that subscriber's log.
  await page.getByRole("button", { name: "Send a test message to first@letters.example" }).click();
  await page.goto(`/dashboard/${slug}/subscribers`);
  await page.getByRole("link", { name: "Deliveries to first@letters.example" }).click();
  await expect(page.getByRole("heading", { name: "Deliveries to first@letters.example" })).toBeVisible();
  await expect(page.locator(".delivery-table")).toContainText("Test message");

  // The filter narrows the list; the export has everyone.
  await page.goto(`/dashboard/${slug}/subscribers`);
  await page.getByLabel("Address contains").fill("second");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/q=second/);
  await expect(page.locator(".subscriber-table tbody tr")).toHaveCount(1);
  const csv = await page.request.get(`/dashboard/${slug}/subscribers.csv`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  for (const address of ["first@letters.example", "second@letters.example", "third@letters.example"]) {
    expect(text).toContain(address);
  }
  expect(problems).toEqual([]);
});
