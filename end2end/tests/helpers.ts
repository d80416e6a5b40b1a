import { expect, type Page, type TestInfo } from "@playwright/test";

export const hydrated = (info: TestInfo) => info.project.name === "hydrated";

/// Collects console errors and uncaught exceptions for the whole test. Chromium also logs every
/// non-2xx fetch as an error; a test that provokes one on purpose names its status in
/// `expectedHttpStatuses`.
export function watchConsole(page: Page, expectedHttpStatuses: number[] = []): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    const status = /the server responded with a status of (\d+)/.exec(text)?.[1];
    if (status && expectedHttpStatuses.includes(Number(status))) return;
    problems.push(`console.error: ${text}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

/// With JavaScript on, waits until the wasm bundle has taken over the page; with it off,
/// checks that it did not (the page must stand on its server-rendered HTML alone).
export async function settle(page: Page, info: TestInfo) {
  if (hydrated(info)) {
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true", { timeout: 15_000 });
  } else {
    await expect(page.locator("html")).not.toHaveAttribute("data-hydrated", "true");
  }
}
