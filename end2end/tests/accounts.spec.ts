import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { settle, watchConsole } from "./helpers";

const bin = process.env.HERALD_E2E_BIN ?? "../target/release/herald";
const password = "correct horse battery";

/// An administrator with an organization of their own, made on the command line.
function adminWithOrganization(pass: string): { email: string; name: string } {
  const email = `ops-${pass}@initech.example`;
  const name = `Initech ${pass}`;
  execFileSync(bin, ["create-admin", "--email", email, "--organization", name, "--slug", `initech-${pass}`], {
    env: { ...process.env, HERALD_LOG: "warn", HERALD_ADMIN_PASSWORD: password },
  });
  return { email, name };
}

test("sign in to the dashboard, see your organizations, sign out", async ({ page }, info) => {
  // The wrong password is refused with an HTTP 422 answer to the form's request.
  const problems = watchConsole(page, [422]);
  const { email, name } = adminWithOrganization(info.project.name);

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  await settle(page, info);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#password-error")).toContainText("not right");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Your organizations" })).toBeVisible();
  await expect(page.getByRole("link", { name })).toBeVisible();
  await expect(page.locator(".organization-list")).toContainText("Admin");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
  expect(problems).toEqual([]);
});
