// Drives the example storefront (examples/storefront: the page, served by its shop server, calling customer-sessions
// cross-origin with a publishable key) in headless Chromium, with two shoppers in two browser contexts; tries from
// the page what a shopper could try from the developer tools; checks with graphql-js, in the browser, that the
// committed schema is the one the service serves; follows a shopper's page while other clients change its cart (live,
// over the service's WebSocket); and uses GraphiQL with a key in its Headers tab, for a query and a subscription.
// Usage: node storefront-e2e.mjs <shop server URL> <service URL> <secret key> <chromium executable> <schema.graphql>
// Prints one JSON object with what the pages showed.
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const [shop, service, secretKey, executablePath, schemaFile] = process.argv.slice(2);
const committedSchema = await readFile(schemaFile, 'utf8');
const SESSION = 'integrationId state version profileId cartSetBy total cartItems { sku price }';

// The shop's server side of things (secret key, no Origin header).
async function asServer(query, variables) {
  const response = await fetch(service + '/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'ApiKey-v1 ' + secretKey },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}
const storedSession = async (id) => (await asServer(`query($id: String!) { customerSession(integrationId: $id) { ${SESSION} } }`, { id })).data.customerSession;

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const seen = {};
const problems = [];

// A shopper: a browser context of its own (its own localStorage), on the storefront page.
async function shopper(prepare) {
  const context = await browser.newContext();
  if (prepare) await prepare(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(shop + '/');
  await page.waitForSelector('body[data-ready="true"]');
  const idle = () => page.waitForFunction(() => !document.body.dataset.busy);
  return {
    page,
    click: async (selector) => { await page.click(selector); await idle(); },
    text: (id) => page.textContent('#' + id),
    lines: () => page.$$eval('#lines tr', (rows) => rows.map((row) => [...row.cells].slice(0, 3).map((cell) => cell.textContent))),
    stored: () => page.evaluate(() => JSON.parse(localStorage.getItem('customer-sessions-cart'))),
    reload: async () => { await page.reload(); await page.waitForSelector('body[data-ready="true"]'); },
    // What a shopper can send from the developer tools: the page's own client, with the page's publishable key.
    run: (query, variables) => page.evaluate(async ([q, v]) => (await import('/storefront.mjs')).execute(q, v), [query, variables]),
  };
}
const SHOES = 'button[data-sku="SHOE-RED-42"]';
const SOCKS = 'button[data-sku="SOCKS-3PACK"]';

// Waits (5 s at most) until a condition on what the test itself collects holds.
async function waitUntil(condition, what) {
  for (const deadline = Date.now() + 5000; !condition();) {
    if (Date.now() > deadline) throw new Error('Waited 5 s for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

try {
  // Shopper A builds a cart; the first item starts the session, whose id and token stay in A's localStorage.
  const a = await shopper();
  seen.currency = await a.text('currency');
  seen.productButtons = await a.page.$$eval('#products button', (buttons) => buttons.map((b) => b.textContent));
  await a.click(SHOES);
  await a.click(SHOES);
  seen.afterTwoShoes = await a.text('total');
  const cartA = await a.stored();
  seen.storedA = cartA;

  // Another client (the shop's server) changes the session: the page's next line operation builds on that change.
  const other = await asServer('mutation($id: String!) { updateCustomerSession(integrationId: $id, input: { couponCodes: ["ELSEWHERE"] }) { customerSession { version } } }',
    { id: cartA.integrationId });
  seen.otherClientVersion = other.data.updateCustomerSession.customerSession.version;
  await a.click(SOCKS);
  seen.statusAfterConflict = await a.text('status');
  await a.click(SOCKS);
  for (const id of ['cartItemTotal', 'additionalCostTotal', 'total', 'version', 'cartSetBy']) seen[id] = await a.text(id);
  seen.lines = await a.lines();
  // A reload reads the cart back with the stored token.
  await a.reload();
  seen.afterReload = { total: await a.text('total'), version: await a.text('version'), lines: await a.lines() };

  // Shopper B, same page, same publishable key, a cart of its own: adds, lowers, removes.
  const b = await shopper();
  await b.click(SOCKS);
  await b.click(SOCKS);
  await b.click(SHOES);
  await b.click('button[aria-label="One less Socks"]');
  await b.click('button[aria-label="Remove Running shoes"]');
  seen.linesB = await b.lines();
  seen.totalB = await b.text('total');
  const cartB = await b.stored();
  seen.storedB = cartB;

  // From B's page, A's cart is as if it did not exist: with B's own token, and with a guessed one.
  const read = 'query($id: String!, $token: String) { customerSession(integrationId: $id, sessionToken: $token) { integrationId total } }';
  seen.bReadsA = await b.run(read, { id: cartA.integrationId, token: cartB.sessionToken });
  seen.bChangesA = await b.run(`mutation($id: String!, $token: String) {
      updateCustomerSession(integrationId: $id, sessionToken: $token, input: { cartItems: [] }) { customerSession { version } userErrors { code } } }`,
  { id: cartA.integrationId, token: cartB.sessionToken });
  seen.guessedToken = await b.run(read, { id: cartA.integrationId, token: 'cs_st_' + 'x'.repeat(43) });
  seen.bLists = await b.run('{ customerSessions(first: 5) { nodes { integrationId } } }');
  const storedA = await storedSession(cartA.integrationId);
  seen.aAfterB = { version: storedA.version, total: storedA.total };
  // Nor can B check out A's cart through the shop's server with its own token.
  const foreignCheckout = await fetch(shop + '/checkout', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ integrationId: cartA.integrationId, sessionToken: cartB.sessionToken, customer: 'customer-b' }),
  });
  seen.foreignCheckoutStatus = foreignCheckout.status;

  // B lowers the price of its socks from the developer tools: the cart now holds the shopper's claim...
  const version = Number(await b.text('version'));
  seen.tamper = await b.run(`mutation($id: String!, $token: String, $version: Int) {
      updateCustomerSession(integrationId: $id, sessionToken: $token, expectedVersion: $version, input: {
        cartItems: [{ sku: "SOCKS-3PACK", name: "Socks", quantity: 1, price: "0.01" }], additionalCosts: [] }) {
        customerSession { total cartSetBy } userErrors { code message } } }`,
  { id: cartB.integrationId, token: cartB.sessionToken, version });
  await b.reload();
  seen.tamperedShown = { lines: await b.lines(), total: await b.text('total'), cartSetBy: await b.text('cartSetBy') };
  // ...which the shop's server re-prices at checkout, with its secret key, before it closes the session.
  await b.page.fill('#customer', 'customer-b');
  await b.click('#checkout');
  seen.checkoutB = { status: await b.text('status'), state: await b.text('state'), total: await b.text('total'), lines: await b.lines() };
  seen.storedAfterCheckoutB = await storedSession(cartB.integrationId);

  // A places the order: prices as the catalogue's, nothing to re-price.
  await a.page.fill('#customer', 'customer-a');
  await a.click('#checkout');
  seen.checkoutA = { status: await a.text('status'), state: await a.text('state'), total: await a.text('total'),
    newCartShown: await a.page.isVisible('#new-cart') };
  seen.storedAfterCheckoutA = await storedSession(cartA.integrationId);
  await a.click('#new-cart');
  seen.afterNewCart = { stored: await a.stored(), total: await a.text('total'), lines: await a.lines() };

  // Shopper C left a cart open earlier as customer-c (on another device; the shop's server kept it). As a guest here,
  // C adds shoes, then logs in: the shop's server merges the guest cart into the earlier one, which the page holds
  // from then on (a new id and token), and the guest cart ends merged.
  await asServer(`mutation { updateCustomerSession(integrationId: "phone-cart-c", input: { profileId: "customer-c",
      cartItems: [{ sku: "SOCKS-3PACK", name: "Socks", quantity: 1, price: "9.99" }] }) { customerSession { version } } }`);
  const c = await shopper();
  await c.click(SHOES);
  const guestC = await c.stored();
  await c.page.fill('#customer', 'customer-c');
  await c.click('#login');
  seen.loginC = { status: await c.text('status'), lines: await c.lines(), total: await c.text('total'), stored: await c.stored() };
  seen.guestAfterLogin = (await asServer('query($id: String!) { customerSession(integrationId: $id) { state mergedInto } }',
    { id: guestC.integrationId })).data.customerSession;
  await c.click('button[aria-label="One more Running shoes"]');
  seen.afterLoginChange = { lines: await c.lines(), total: await c.text('total') };
  await c.click('#checkout');
  seen.checkoutC = { status: await c.text('status'), state: await c.text('state'), total: await c.text('total') };

  // Shopper D adds socks and removes them again: the empty cart ships nothing.
  const d = await shopper();
  await d.click(SOCKS);
  await d.click('button[aria-label="Remove Socks"]');
  seen.emptiedD = { lines: await d.lines(), total: await d.text('total'), shipping: await d.text('additionalCostTotal') };

  // Shopper E's page follows its cart live: the shop's server adds to it, and the page shows it without a reload. Its
  // WebSocket is routed through Playwright, which forwards every message and lets the test see what the page sends,
  // add messages of its own, and drop the connection.
  const sent = []; // what E's page sent on its WebSockets, parsed
  const connections = [];
  const e = await shopper((context) => context.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => { sent.push(JSON.parse(message)); server.send(message); });
    connections.push({ ws, server });
  }));
  const subscribed = (count) => waitUntil(() => sent.filter((m) => m.type === 'subscribe').length >= count, 'the page to subscribe');
  await e.click(SHOES);
  const cartE = await e.stored();
  await subscribed(1);
  await e.page.evaluate(() => { window.notReloaded = true; });
  const shownVersion = (version) => e.page.waitForFunction((v) => document.getElementById('version').textContent === v, String(version), { timeout: 5000 });
  await asServer(`mutation($id: String!) { addCartItems(integrationId: $id, items: [{ sku: "SOCKS-3PACK", name: "Socks", quantity: 2, price: "9.99" }]) {
      customerSession { version } } }`, { id: cartE.integrationId });
  await shownVersion(2);
  seen.liveE = { lines: await e.lines(), total: await e.text('total'), status: await e.text('status'),
    notReloaded: await e.page.evaluate(() => window.notReloaded === true), subscribe: sent.find((m) => m.type === 'subscribe').payload.variables };
  // Events with a version the page shows already, or an older one, change nothing.
  const stale = (version) => JSON.stringify({ id: '1', type: 'next', payload: { data: { customerSessionChanged: { version,
    session: { integrationId: cartE.integrationId, state: 'open', version, profileId: null, cartSetBy: 'SECRET', cartItems: [],
      cartItemTotal: '0', additionalCostTotal: '0', total: '0' } } } } });
  const { ws: toPage } = connections.at(-1);
  toPage.send(stale(2));
  toPage.send(stale(1));
  toPage.send(JSON.stringify({ type: 'ping' }));
  await waitUntil(() => sent.some((m) => m.type === 'pong'), 'the page to answer a ping');
  seen.staleIgnored = { lines: await e.lines(), total: await e.text('total'), version: await e.text('version') };
  // The connection drops; the cart changes meanwhile; the page reconnects with the version it shows, and catches up.
  await toPage.close({ code: 1001, reason: 'Going away' });
  await connections.at(-1).server.close();
  await asServer(`mutation($id: String!) { updateCustomerSession(integrationId: $id, input: { couponCodes: ["WHILE-AWAY"] }) {
      customerSession { version } } }`, { id: cartE.integrationId });
  await subscribed(2);
  await shownVersion(3);
  seen.reconnectE = { connections: connections.length, subscribe: sent.filter((m) => m.type === 'subscribe')[1].payload.variables,
    version: await e.text('version'), total: await e.text('total') };

  // Neither the page nor what it keeps holds the secret key.
  seen.pagesHoldSecretKey = false;
  for (const s of [a, b, c]) {
    const everything = await s.page.evaluate(async () => document.documentElement.outerHTML + JSON.stringify({ ...localStorage })
      + await (await fetch('/config.json')).text());
    seen.pagesHoldSecretKey ||= everything.includes(secretKey);
  }

  // graphql-js in the browser: a client schema from the committed SDL equals the one introspection describes.
  seen.schemaMatches = await a.page.evaluate(async ([sdl, api]) => {
    const graphql = await import('/node_modules/graphql/index.mjs');
    const response = await fetch(api, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: graphql.getIntrospectionQuery() }),
    });
    const served = graphql.buildClientSchema((await response.json()).data);
    const committed = graphql.buildSchema(sdl);
    // Types, fields, arguments and descriptions; the SDL leaves out the server's own directive definitions.
    const typesOnly = (schema) => new graphql.GraphQLSchema({ ...schema.toConfig(), directives: graphql.specifiedDirectives });
    const print = (schema) => graphql.printSchema(graphql.lexicographicSortSchema(typesOnly(schema)));
    const x = print(committed).split('\n');
    const y = print(served).split('\n');
    const at = x.findIndex((line, i) => line !== y[i]);
    return at < 0 && x.length === y.length ? true
      : 'first difference at line ' + (at + 1) + ':\n  committed: ' + x[at] + '\n  served:    ' + y[at];
  }, [committedSchema, service + '/graphql']);

  // A shop that put its secret key into the page: the first request fails, saying why.
  const misconfigured = await shopper((context) => context.route('**/config.json', async (route) => {
    const config = await (await route.fetch()).json();
    await route.fulfill({ json: { ...config, publishableKey: secretKey } });
  }));
  seen.secretKeyInPage = await misconfigured.text('status');

  // Without npm install the page says what to do.
  const uninstalled = await shopper((context) => context.route('**/node_modules/graphql-http/**', (route) => route.fulfill({ status: 404 })));
  seen.clientMissing = await uninstalled.text('status');
  seen.pageErrors = problems;

  // GraphiQL, served by the service itself (same origin: any key works there): a key typed into the Headers tab
  // authenticates the request, and stays out of the address bar and of the browser's storage.
  const page = await (await browser.newContext()).newPage();
  await page.goto(service + '/q/graphql-ui/');
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');
  await page.getByText('Headers', { exact: true }).click();
  await page.evaluate((key) => {
    document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ application { currency } }');
    const editors = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')];
    editors[editors.length - 1].CodeMirror.setValue(JSON.stringify({ Authorization: 'ApiKey-v1 ' + key }));
  }, secretKey);
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue().includes('"data"'));
  seen.graphiqlAnswer = JSON.parse(await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()));
  seen.graphiqlUrlHoldsKey = page.url().includes(encodeURIComponent(secretKey)) || page.url().includes(secretKey);
  seen.graphiqlStorageHoldsKey = await page.evaluate((key) => JSON.stringify(Object.assign({}, window.localStorage)).includes(key), secretKey);

  // GraphiQL runs a subscription over the service's WebSocket, with the publishable key in its Headers tab: a page's
  // cart, followed from its current version (sinceVersion 0), then changed by the shop's server.
  const { publishableKey } = await (await fetch(shop + '/config.json')).json();
  const started = await (await fetch(service + '/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'ApiKey-v1 ' + publishableKey },
    body: JSON.stringify({ query: 'mutation { startCustomerSession(input: { cartItems: [{ sku: "SOCKS-3PACK", quantity: 1, price: "9.99" }] }) { customerSession { integrationId } sessionToken } }' }),
  })).json();
  const { customerSession: { integrationId: followed }, sessionToken } = started.data.startCustomerSession;
  const response = () => page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue());
  await page.evaluate(([key, id, token]) => {
    document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(`subscription {
      customerSessionChanged(integrationId: "${id}", sessionToken: "${token}", sinceVersion: 0) {
        kind version session { total cartItems { sku quantity price } } } }`);
    const editors = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')];
    editors[editors.length - 1].CodeMirror.setValue(JSON.stringify({ Authorization: 'ApiKey-v1 ' + key }));
  }, [publishableKey, followed, sessionToken]);
  const frames = []; // GraphiQL's WebSocket traffic, to say what went wrong
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => frames.push('> ' + frame.payload));
    socket.on('framereceived', (frame) => frames.push('< ' + frame.payload));
    socket.on('close', () => frames.push('closed'));
  });
  page.on('console', (message) => frames.push('console: ' + message.text()));
  const shows = (text) => page.waitForFunction((t) => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue().includes(t),
    text, { timeout: 10_000 }).catch(async () => { throw new Error(`GraphiQL did not show ${text}: ${await response()}\n${frames.join('\n')}`); });
  // GraphiQL parses the document 100 ms after an edit, and sends it over the WebSocket once it knows it is a subscription.
  await page.waitForFunction(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.documentAST?.definitions[0].operation === 'subscription');
  await page.click('.graphiql-execute-button');
  await shows('"version": 1');
  await asServer(`mutation($id: String!) { addCartItems(integrationId: $id, items: [{ sku: "SHOE-RED-42", quantity: 1, price: "59.95" }]) {
      customerSession { version } } }`, { id: followed });
  await shows('"version": 2');
  seen.graphiqlEvent = JSON.parse(await response());
  await page.click('.graphiql-execute-button'); // stops the subscription
} catch (failure) {
  console.log('Seen so far: ' + JSON.stringify({ ...seen, pageErrors: problems }));
  throw failure;
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
