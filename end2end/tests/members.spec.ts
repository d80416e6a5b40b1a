import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { settle, watchConsole } from "./helpers";

const bin = process.env.HERALD_E2E_BIN ?? "../target/release/herald";
const password = "correct horse battery";

test("an Admin invites a colleague, who opens the link, chooses a password and is in", async ({ page, browser }, info) => {
  const problems = watchConsole(page);
  const slug = `crew-${info.project.name}`;
  const admin = `lead-${info.project.name}@crew.example`;
  execFileSync(bin, ["create-admin", "--email", admin, "--organization", `Crew ${info.project.name}`, "--slug", slug], {
    env: { ...process.env, HERALD_LOG: "warn", HERALD_ADMIN_PASSWORD: password },
  });

  await page.goto(`/dashboard/${slug}/members`);
  await settle(page, info);
  await page.getByLabel("Email").fill(admin);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/members$`));
  await settle(page, info);
  await expect(page.locator(".member-table")).toContainText(`${admin} (you)`);

  const colleague = `new-${info.project.name}@crew.example`;
  await page.getByLabel("Email").fill(colleague);
  await page.getByLabel("Role", { exact: true }).selectOption("editor");
  await page.getByRole("button", { name: "Invite" }).click();
  const link = (await page.locator(".invitation-link code").textContent())?.trim() ?? "";
  expect(link).toMatch(/\/invitations\/hrli_/);
  await expect(page.getByText("No pending invitations.")).toHaveCount(0);
  await expect(page.locator(".incident-list")).toContainText(colleague);

  // The colleague's own browser: no session, a fresh context.
  const theirs = await browser.newContext({ javaScriptEnabled: info.project.name === "hydrated" });
  const them = await theirs.newPage();
  await them.goto(link);
  await settle(them, info);
  await expect(them.getByRole("heading", { name: `Join Crew ${info.project.name}` })).toBeVisible();
  await them.getByLabel("Password", { exact: true }).fill("a brand new secret");
  await them.getByLabel("Password again").fill("a brand new secret");
  await them.getByRole("button", { name: "Create account and join" }).click();
  await expect(them).toHaveURL(new RegExp(`/dashboard/${slug}$`));
  await expect(them.locator(".workspace__heading")).toContainText("Editor");
  await expect(them.getByRole("heading", { name: "Open an incident" })).toBeVisible();

  // The link worked once.
  await them.goto(link);
  await expect(them.getByRole("alert")).toContainText("already been used");
  await theirs.close();

  await page.reload();
  await expect(page.locator(".member-table")).toContainText(colleague);
  await expect(page.getByText("No pending invitations.")).toBeVisible();
  expect(problems).toEqual([]);
});

test("an Admin renames the organization, picks a colour and moves the page; the preview and the public page follow", async ({ page }, info) => {
  // The refused time zone is an HTTP 422 answer to the form's request.
  const problems = watchConsole(page, [422]);
  const slug = `brand-${info.project.name}`;
  const admin = `brand-${info.project.name}@crew.example`;
  execFileSync(bin, ["create-admin", "--email", admin, "--organization", `Brand ${info.project.name}`, "--slug", slug], {
    env: { ...process.env, HERALD_LOG: "warn", HERALD_ADMIN_PASSWORD: password },
  });
  await page.goto(`/dashboard/${slug}/settings`);
  await settle(page, info);
  await page.getByLabel("Email").fill(admin);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/settings$`));
  await settle(page, info);

  await page.getByLabel("Name", { exact: true }).fill("Rocket Brand");
  await page.getByLabel("Brand colour").fill("#e11d48");
  if (info.project.name === "hydrated") {
    await expect(page.locator(".settings__header")).toContainText("Rocket Brand");
    await expect(page.locator(".settings__header")).toHaveAttribute("style", /--brand: #e11d48/);
  }
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.locator("#time_zone").locator("..")).toHaveClass(/field--invalid/);
  await expect(page.locator("#time_zone ~ .field__error")).not.toBeEmpty();
  // Without JavaScript the refused form comes back as stored; type it again.
  await page.getByLabel("Name", { exact: true }).fill("Rocket Brand");
  await page.getByLabel("Brand colour").fill("#e11d48");
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");

  // The page moves to a new address; the old one keeps leading to it.
  const moved = `rocket-${info.project.name}`;
  await page.getByText("Change the page's address…").click();
  await page.getByLabel("New address").fill(moved);
  await page.getByLabel("Yes, move the page").check();
  await page.getByRole("button", { name: "Move the page" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${moved}/settings\\?moved=1$`));
  await expect(page.getByRole("status")).toContainText("Moved.");
  await settle(page, info);
  await expect(page.locator(".settings__move")).toContainText(`Former addresses, still redirecting here: ${slug}`);

  // The public page is re-rendered in the background after a change; the old bytes are
  // served until the new ones are ready.
  await expect(async () => {
    await page.goto(`/s/${slug}`);
    await expect(page).toHaveURL(new RegExp(`/s/${moved}$`), { timeout: 500 });
    await expect(page.getByRole("heading", { level: 1, name: "Rocket Brand" })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 5_000 });
  expect(problems).toEqual([]);
});
