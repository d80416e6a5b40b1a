import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

const bin = process.env.HERALD_E2E_BIN ?? "../target/release/herald";

/// Runs the herald CLI against the test database (scripts/end2end.sh exports DATABASE_URL).
export function herald(...args: string[]): string {
  return execFileSync(bin, args, { env: { ...process.env, HERALD_LOG: "warn" }, encoding: "utf8" }).trim();
}

/// Opens an incident on the demo organization; returns its id.
export function openIncident(name: string, component = "api"): string {
  return herald(
    "incident", "open", "--org", "demo", "--name", name, "--impact", "major",
    "--message", `We are investigating: ${name}.`, "--component", component, "--quiet",
  );
}

export function resolveIncident(id: string) {
  herald("incident", "resolve", "--org", "demo", "--id", id, "--quiet");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/// A second Herald, on the same database unless `env` names another, for tests that stop and
/// start a server or need an instance of their own.
export class ExtraServer {
  private child?: ChildProcess;
  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.child = spawn(bin, ["serve"], {
      env: { ...process.env, HERALD_LISTEN: `127.0.0.1:${this.port}`, HERALD_LOG: "warn", ...this.env },
      stdio: "ignore",
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`herald did not start on port ${this.port}`);
  }

  async stop() {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}
