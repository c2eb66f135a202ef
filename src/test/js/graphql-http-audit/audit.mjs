// Runs graphql-http's auditServer against the URL given and prints one JSON line per audit:
// {"id", "name", "status"} where status is "ok", "notice" (MAY), "warn" (SHOULD) or "error" (MUST).
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint URL>');
  process.exit(2);
}
const results = await auditServer({ url });
for (const result of results) {
  console.log(JSON.stringify({ id: result.id, name: result.name, status: result.status,
    reason: result.status === 'ok' ? undefined : result.reason }));
}
