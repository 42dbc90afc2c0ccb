import Fastify from "fastify";
import { createApp } from "./app.js";
import { registerMetricsRoute } from "./protocols/http.js";
import { loadConfig } from "./config.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  if (app.bootstrapKey && !config.bootstrapKey) {
    // Shown once: only its hash is stored.
    process.stdout.write(
      `\n  Custos created an operator API key. It is shown only now; store it safely:\n\n    ${app.bootstrapKey.secret}\n\n  Use it as: Authorization: Bearer <key>\n\n`,
    );
  }
  await app.http.listen({ port: config.port, host: config.host });
  app.http.log.info(`Custos ${app.storage.describe()} listening on http://${config.host}:${config.port}`);
  // Metrics on a listener of their own (an internal address), without a credential.
  let metricsServer: ReturnType<typeof Fastify> | undefined;
  if (config.metricsPort !== undefined) {
    metricsServer = Fastify({ logger: false });
    registerMetricsRoute(metricsServer, app.metrics);
    await metricsServer.listen({ port: config.metricsPort, host: config.metricsHost ?? "127.0.0.1" });
    app.http.log.info(`metrics on http://${config.metricsHost ?? "127.0.0.1"}:${config.metricsPort}/metrics`);
  }
  const stop = async () => {
    await metricsServer?.close();
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`custos: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
