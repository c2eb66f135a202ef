// The shop's server: the half of a storefront that keeps secrets. It serves the page, tells it the publishable key,
// logs shoppers in (merging their guest cart into the one they left open) and places orders with its secret key,
// which never leaves this process.
//
// Usage: node shop-server.mjs [port]     (port: argv, else PORT, else 3000; 0 picks a free one)
// Environment: CUSTOMER_SESSIONS_URL (default http://localhost:8080), SHOP_SECRET_KEY (default dev-api-key),
//              PUBLISHABLE_KEY (default cs_pk_demo): the defaults are those of ./mvnw quarkus:dev.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? process.env.PORT ?? 3000);
const api = new URL('/graphql', process.env.CUSTOMER_SESSIONS_URL || 'http://localhost:8080').toString();
const secretKey = process.env.SHOP_SECRET_KEY || 'dev-api-key';
const publishableKey = process.env.PUBLISHABLE_KEY || 'cs_pk_demo';

// The shop's catalogue. The page shows it (from /config.json), but at checkout only this copy counts.
const CATALOGUE = [
  { sku: 'SHOE-RED-42', name: 'Running shoes', price: '59.95' },
  { sku: 'SOCKS-3PACK', name: 'Socks', price: '9.99' },
];
const SHIPPING = [{ name: 'shipping', price: '4.99' }];

const SESSION = `integrationId state version profileId cartSetBy cartItems { lineId sku name quantity price }
  additionalCosts { name price } cartItemTotal additionalCostTotal total`;

// ---- Serving the page ----

const here = fileURLToPath(new URL('.', import.meta.url));
const PAGE_FILES = new Set(['/index.html', '/storefront.mjs', '/graphql-transport-ws.mjs']);
// Only the two packages the page imports; nothing else of the folder (package.json, this file) is served.
const MODULES = ['/node_modules/graphql-http/', '/node_modules/graphql/'];
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json' };

async function serveFile(path, response) {
  const file = resolve(here, '.' + path);
  const allowed = PAGE_FILES.has(path) || MODULES.some((module) => path.startsWith(module) && file.startsWith(resolve(here, '.' + module) + sep));
  if (!allowed) return send(response, 404, { message: 'Not found' });
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'Content-Type': (TYPES[extname(file)] || 'application/octet-stream') + '; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(body);
  } catch {
    send(response, 404, { message: 'Not found' + (path.startsWith('/node_modules/') ? ': run npm install in examples/storefront' : '') });
  }
}

function send(response, status, value) {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(value));
}

// ---- Talking to customer-sessions (no Origin header: a server, not a page) ----

async function graphql(key, query, variables) {
  const response = await fetch(api, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json', Authorization: 'ApiKey-v1 ' + key },
    body: JSON.stringify({ query, variables }),
  });
  const result = await response.json();
  if (result.errors) throw new Failure(502, result.errors[0].message);
  return result.data;
}

class Failure extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const PAYLOAD = `customerSession { ${SESSION} } userErrors { code message }`;
const UPDATE = `mutation Update($id: String!, $input: CustomerSessionInput!, $version: Int) {
  updateCustomerSession(integrationId: $id, input: $input, expectedVersion: $version) { ${PAYLOAD} } }`;
const CLOSE = `mutation Close($id: String!, $version: Int) {
  closeCustomerSession(integrationId: $id, expectedVersion: $version) { ${PAYLOAD} } }`;

// With the secret key: the session as stored after the mutation, or a Failure saying why it was refused (409 when
// the cart changed meanwhile, e.g. the shopper added an item in another tab: the order is then not placed).
async function mutate(document, variables) {
  const payload = Object.values(await graphql(secretKey, document, variables))[0];
  const [error] = payload.userErrors;
  if (error) throw new Failure(error.code === 'VERSION_CONFLICT' ? 409 : 422, error.message);
  return payload.customerSession;
}

// "59.950" and "59.95" are the same amount: compared without trailing zeros (no floating point).
const amount = (value) => String(value).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

// The shopper must hold the cart: read it as the page can, with the publishable key and the cart's token. The
// secret key reaches every cart, so without this check anybody could log in or check out with somebody else's.
async function held(integrationId, sessionToken) {
  const session = (await graphql(publishableKey, 'query($id: String!, $token: String) { customerSession(integrationId: $id, sessionToken: $token) { version } }',
    { id: integrationId, token: sessionToken })).customerSession;
  if (!session) throw new Failure(404, 'No such cart');
  return session;
}

// ---- Login ----

const MERGE = `mutation Merge($id: String!, $customer: String!) {
  mergeCustomerSession(integrationId: $id, profileId: $customer, strategy: MERGE_LINES) {
    customerSession { ${SESSION} } mergedSessions { integrationId state mergedInto } userErrors { code message } } }`;
const ISSUE_TOKEN = `mutation Token($id: String!) { issueSessionToken(integrationId: $id) { sessionToken userErrors { code message } } }`;

// Demo only: this example trusts the customer the page names, so anybody could claim anybody's cart here. A real shop
// takes the customer from its own login (a session cookie, never the request body) before it merges or checks out.
//
// The shopper logs in: the guest cart is merged into the cart
// the customer left open earlier, on this device or another. When that earlier cart is the one that stays, the page
// gets its id and a new token for it; the guest cart ends merged.
async function login({ integrationId, sessionToken, customer }) {
  if (!integrationId || !sessionToken || !customer) throw new Failure(400, 'Send integrationId, sessionToken and customer');
  await held(integrationId, sessionToken);
  const payload = (await graphql(secretKey, MERGE, { id: integrationId, customer })).mergeCustomerSession;
  if (payload.userErrors.length > 0) throw new Failure(422, payload.userErrors[0].message);
  const session = payload.customerSession;
  if (session.integrationId === integrationId) return { customerSession: session, merged: payload.mergedSessions.length };
  const token = (await graphql(secretKey, ISSUE_TOKEN, { id: session.integrationId })).issueSessionToken;
  if (token.userErrors.length > 0) throw new Failure(422, token.userErrors[0].message);
  return { customerSession: session, merged: payload.mergedSessions.length, integrationId: session.integrationId, sessionToken: token.sessionToken };
}

// ---- Checkout ----

async function checkout({ integrationId, sessionToken, customer }) {
  if (!integrationId || !sessionToken || !customer) throw new Failure(400, 'Send integrationId, sessionToken and customer');
  const cart = await held(integrationId, sessionToken);

  // Binding the customer is the server's word (a real shop takes it from its login, not from the request);
  // expectedVersion: the cart bound is the one just checked.
  let session = await mutate(UPDATE, { id: integrationId, input: { profileId: customer }, version: cart.version });
  if (session.state !== 'open') throw new Failure(409, `This cart is ${session.state} already`);

  // The cart's prices are the shopper's claim (cartSetBy PUBLISHABLE): re-price every line from the catalogue, and
  // write the catalogue's prices, with the secret key, where they differ.
  const repriced = [];
  const cartItems = session.cartItems.map(({ sku, quantity, price }) => {
    const product = CATALOGUE.find((entry) => entry.sku === sku);
    if (!product) throw new Failure(422, `${sku} is not sold here`);
    if (amount(price) !== amount(product.price)) repriced.push({ sku, claimed: price, price: product.price });
    return { sku, name: product.name, quantity, price: product.price };
  });
  const shippingRight = session.additionalCosts.length === SHIPPING.length
    && SHIPPING.every((cost, i) => session.additionalCosts[i].name === cost.name && amount(session.additionalCosts[i].price) === amount(cost.price));
  if (!shippingRight) repriced.push({ cost: 'shipping', claimed: session.additionalCosts, price: SHIPPING });
  if (repriced.length > 0) {
    session = await mutate(UPDATE, { id: integrationId, input: { cartItems, additionalCosts: SHIPPING }, version: session.version });
  }

  // Here a real shop takes the payment of session.total; then the order is placed: the session is closed.
  session = await mutate(CLOSE, { id: integrationId, version: session.version });
  return { customerSession: session, repriced };
}

// ---- The server ----

const server = createServer(async (request, response) => {
  const path = new URL(request.url, 'http://shop').pathname;
  try {
    if (request.method === 'GET' && path === '/config.json') {
      // What the page may know: the publishable key and where the API is. Never the secret key.
      return send(response, 200, { publishableKey, api, catalogue: CATALOGUE, shipping: SHIPPING });
    }
    if (request.method === 'POST' && (path === '/checkout' || path === '/login')) {
      let body = '';
      for await (const chunk of request) {
        body += chunk;
        if (body.length > 10_000) throw new Failure(413, 'Too large');
      }
      let order;
      try { order = JSON.parse(body); } catch { throw new Failure(400, 'Send JSON'); }
      return send(response, 200, await (path === '/login' ? login(order) : checkout(order)));
    }
    if (request.method === 'GET') return await serveFile(path === '/' ? '/index.html' : path, response);
    send(response, 405, { message: 'Method not allowed' });
  } catch (failure) {
    if (!(failure instanceof Failure)) console.error(failure);
    send(response, failure.status || 502, { message: failure instanceof Failure ? failure.message : 'customer-sessions did not answer' });
  }
});

server.listen(port, 'localhost', () => {
  // The first line says where the shop is (the browser test reads it when it asks for port 0).
  console.log(`Shop server: http://localhost:${server.address().port}/  (customer-sessions at ${api})`);
});
