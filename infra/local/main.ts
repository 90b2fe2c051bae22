import { startTwin, type Twin } from './twin.ts';

/** `npm start`: the whole control plane on http://127.0.0.1:${PORT:-3000}/v1. */
const main = async () => {
  const started = Date.now();
  const fromEnv = process.env.ADMIN_TOKEN;
  let twin: Twin;
  try {
    twin = await startTwin({
      port: Number(process.env.PORT ?? 3000),
      ...(fromEnv ? { adminToken: fromEnv } : {}),
      faults: process.env.RETRYSAFE_FAULTS ?? '',
      logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
    });
  } catch (error) {
    console.error(`retrysafe twin failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping the twin…`);
    await twin.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  console.log(`
retrysafe local twin ready in ${Date.now() - started} ms
  API          ${twin.url}
  admin token  ${twin.adminToken}${fromEnv ? '   (from ADMIN_TOKEN)' : '   (generated; set ADMIN_TOKEN to choose one)'}
  DynamoDB     ${twin.dynamoEndpoint}   tables ${twin.tables.platform}, ${twin.tables.idempotency}
  faults       ${process.env.RETRYSAFE_FAULTS || 'none'}   (RETRYSAFE_FAULTS, or PUT ${twin.url}/_dev/faults)

Try it:
  curl -s -X POST ${twin.url}/projects \\
    -H "Authorization: Bearer ${twin.adminToken}" \\
    -H "Content-Type: application/json" -H "Idempotency-Key: demo-1" \\
    -d '{"name":"Demo","ownerEmail":"owner@example.com"}'

Ctrl-C stops everything.
`);
};

await main();
