import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, type TestInfo, test } from "@playwright/test";
import { hydrated, settle, watchConsole } from "./helpers";
import { herald } from "./herald";

const bin = process.env.HERALD_E2E_BIN ?? "../target/release/herald";
const password = "correct horse battery";

/// An editor's organization with two components and an incident template, made on the
/// command line (account with create-admin, the rest with config as code).
function organization(pass: string): { email: string; slug: string } {
  const slug = `payco-${pass}`;
  const email = `oncall-${pass}@payco.example`;
  execFileSync(bin, ["create-admin", "--email", email, "--organization", `PayCo ${pass}`, "--slug", slug], {
    env: { ...process.env, HERALD_LOG: "warn", HERALD_ADMIN_PASSWORD: password },
  });
  const file = join(mkdtempSync(join(tmpdir(), "herald-e2e-")), "payco.yaml");
  writeFileSync(
    file,
    [
      "version: 1",
      "organization:",
      `  name: PayCo ${pass}`,
      "  default_locale: en",
      "  time_zone: UTC",
      "components:",
      "- key: checkout",
      "  name: Checkout",
      "- key: search",
      "  name: Search",
      "templates:",
      "- key: payments-down",
      "  kind: incident",
      "  name: Payments failing",
      "  title: Payments are failing",
      "  body: Some card payments fail; we are investigating.",
      "  impact: major",
      "  components: [checkout]",
      "",
    ].join("\n"),
  );
  herald("config", "import", "--org", slug, "--file", file);
  return { email, slug };
}

/// The public page as a visitor has it open: live with JavaScript, reloaded without. The page
/// is served from a snapshot that the event hub refreshes just after the change commits, so a
/// reload may land a moment before it; without JavaScript the visitor reloads until it shows.
async function publicPageFollows(visitor: Page, info: TestInfo, check: () => Promise<void>) {
  if (hydrated(info)) return check();
  await expect(async () => {
    await visitor.reload();
    await check();
  }).toPass({ timeout: 5_000 });
}

/// How long one look at the public page waits: the live page gets the push; a reloaded one
/// either has the change or is reloaded again.
const patience = (info: TestInfo) => (hydrated(info) ? 3_000 : 500);

async function publicPageShows(visitor: Page, info: TestInfo, text: string | RegExp) {
  await publicPageFollows(visitor, info, () =>
    expect(visitor.locator(".status-main")).toContainText(text, { timeout: patience(info) }),
  );
}

test("sign in, open an incident from a template, post two updates, resolve it; the public page follows", async ({ page, context }, info) => {
  const problems = watchConsole(page);
  const { email, slug } = organization(info.project.name);
  const visitor = await context.newPage();
  await visitor.goto(`/s/${slug}`);
  await settle(visitor, info);
  if (hydrated(info)) await expect(visitor.locator(".live")).toHaveClass(/live--on/);

  await page.goto(`/dashboard/${slug}`);
  await expect(page).toHaveURL(new RegExp(`/login\\?next=%2Fdashboard%2F${slug}$`));
  await settle(page, info);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}$`));
  await settle(page, info);
  await expect(page.getByText("No open incidents.")).toBeVisible();

  // A new component, added on the components page, appears on the public page at once.
  await page.getByRole("link", { name: "Components" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/components$`));
  await settle(page, info);
  await page.locator("#new-component-name").fill("Payments API");
  await page.locator("#new-component-description").fill("Card and wallet payments");
  await page.getByRole("button", { name: "Add component" }).click();
  await expect(page.locator(".catalog")).toContainText("payments-api");
  // The form is empty again, ready for the next one.
  await expect(page.locator("#new-component-name")).toHaveValue("");
  await expect(page.locator("#new-component-description")).toHaveValue("");
  await settle(page, info);
  await publicPageShows(visitor, info, "Payments API");
  // Moved to the top of the page, it is listed first there too.
  await page.getByRole("button", { name: "Move Payments API up" }).click();
  await settle(page, info);
  await page.getByRole("button", { name: "Move Payments API up" }).click();
  await expect(page.locator(".catalog__item").first()).toContainText("Payments API");
  await settle(page, info);
  await publicPageFollows(visitor, info, () =>
    expect(visitor.locator(".components .component-list > li").first()).toContainText("Payments API", { timeout: patience(info) }),
  );
  await page.getByRole("link", { name: `PayCo ${info.project.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}$`));
  await settle(page, info);

  // Opening: the template fills the form (with JavaScript; without, the server fills what is
  // left empty), and the impact pre-fills the affected component's status.
  await page.getByLabel("Start from a template").selectOption({ label: "Payments failing" });
  if (hydrated(info)) {
    await expect(page.getByLabel("Name")).toHaveValue("Payments are failing");
    await expect(page.getByLabel("Impact")).toHaveValue("major");
    await expect(page.getByLabel("Checkout", { exact: true })).toHaveValue("suggested");
    await expect(page.getByLabel("Checkout", { exact: true }).locator("option:checked")).toHaveText(
      "Affected: Partial outage (from the impact)",
    );
    await page.getByLabel("Impact").selectOption("critical");
    await expect(page.getByLabel("Checkout", { exact: true }).locator("option:checked")).toHaveText(
      "Affected: Major outage (from the impact)",
    );
  } else {
    await page.getByLabel("Impact").selectOption("critical");
  }
  await page.getByLabel("Search", { exact: true }).selectOption("degraded_performance");
  await page.getByLabel("Payments API", { exact: true }).selectOption("major_outage");
  await page.getByRole("button", { name: "Open incident" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/incidents/\\d+$`));
  await settle(page, info);
  await expect(page.locator(".held-components")).toContainText("Major outage");
  await expect(page.locator(".held-components")).toContainText("Degraded performance");
  await publicPageShows(visitor, info, "Payments are failing");
  await expect(visitor.locator(".banner")).toHaveClass(/banner--critical/);

  // Two updates, then resolution; the status select proposes the next step each time.
  const post = async (status: string, message: string) => {
    await expect(page.getByLabel("Status")).toHaveValue(status);
    await page.getByLabel("Message").fill(message);
    await page.getByRole("button", { name: "Post update" }).click();
    await expect(page.locator(".update-list")).toContainText(message);
    await settle(page, info);
  };
  await post("identified", "A certificate expired at the card processor.");
  await publicPageShows(visitor, info, "A certificate expired at the card processor.");
  await post("monitoring", "The certificate is renewed; payments are going through again.");
  await publicPageShows(visitor, info, "payments are going through again");
  await post("resolved", "All payments work.");
  await expect(page.locator(".incident-editor__status")).toHaveText("Resolved");
  await expect(page.locator(".held-components")).not.toContainText("outage");
  await publicPageFollows(visitor, info, () =>
    expect(visitor.locator(".banner")).toHaveClass(/banner--none/, { timeout: patience(info) }),
  );

  // The postmortem, previewed as the page will render it, then published.
  const postmortem = page.getByLabel("What happened, why, and what changes");
  await postmortem.fill("## Why\n\nThe processor's certificate was **not monitored**.");
  if (hydrated(info)) {
    const editor = page.locator(".markdown-editor", { has: page.locator("#postmortem") });
    await editor.getByRole("button", { name: "Preview" }).click();
    await expect(editor.locator(".markdown-editor__preview strong")).toHaveText("not monitored");
    await editor.getByRole("button", { name: "Write" }).click();
  }
  await page.getByLabel("Published on the public page").check();
  await page.getByRole("button", { name: "Save postmortem" }).click();
  await settle(page, info);
  const incidentPath = new URL(page.url()).pathname.replace(`/dashboard/${slug}/`, `/s/${slug}/`);
  await expect(async () => {
    await visitor.goto(incidentPath);
    await expect(visitor.locator("body")).toContainText("was not monitored", { timeout: 500 });
  }).toPass({ timeout: 5_000 });

  await page.getByRole("link", { name: `PayCo ${info.project.name}` }).click();
  await expect(page.getByText("No open incidents.")).toBeVisible();
  expect(problems).toEqual([]);
});
