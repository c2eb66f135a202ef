// The example storefront's page. It calls customer-sessions directly, from the shopper's browser, with the shop's
// publishable key: anything a page holds can be read in the developer tools, and that key reaches only the carts
// whose session token it is shown. The cart's id and token stay in this browser's localStorage (one cart per
// browser profile); placing the order is left to the shop's server (shop-server.mjs), which holds the secret key.
// The page follows its cart live (customerSessionChanged over the service's WebSocket): a change made elsewhere, by
// the shop's server or in another tab, is shown as soon as it is stored.
import { subscribe } from './graphql-transport-ws.mjs';

const $ = (id) => document.getElementById(id);
const STORAGE = 'customer-sessions-cart'; // {integrationId, sessionToken} of this browser's cart
const SESSION = 'integrationId state version profileId cartSetBy cartItems { lineId sku name quantity price } cartItemTotal additionalCostTotal total';
const PAYLOAD = `customerSession { ${SESSION} } userErrors { code message }`;

let config; // from the shop's server: {publishableKey, api, catalogue, shipping}
let client; // graphql-http's GraphQL-over-HTTP client, once its module is loaded
let session = null; // the cart as last read or written: its version is the base of the next change
let live = null; // the subscription to the stored cart's changes: {cart: "id token", close()}

const stored = () => JSON.parse(localStorage.getItem(STORAGE) || 'null');

function say(text) {
  $('status').textContent = text;
}

// Runs one GraphQL operation with the publishable key; resolves with the result, errors included.
export function execute(query, variables) {
  return new Promise((resolve, reject) => {
    let result;
    client.subscribe({ query, variables }, {
      next: (value) => { result = value; },
      // A request that could not run at all (FORBIDDEN, THROTTLED) is answered with a 4xx status and the errors
      // in the body; graphql-http reports it as a NetworkError that carries the response: read the errors from it.
      error: (failure) => (failure.response ? failure.response.json().then(resolve, () => reject(failure)) : reject(failure)),
      complete: () => resolve(result),
    });
  });
}

const problem = (result) => `${result.errors[0].extensions?.code || 'ERROR'}: ${result.errors[0].message}`;

function button(text, action, label) {
  const element = document.createElement('button');
  element.textContent = text;
  if (label) element.setAttribute('aria-label', label);
  element.addEventListener('click', busy(action));
  return element;
}

function show() {
  const open = !session || session.state === 'open';
  $('lines').replaceChildren(...(session ? session.cartItems : []).map((item) => {
    const row = document.createElement('tr');
    for (const [text, amount] of [[item.name || item.sku, false], [String(item.quantity), false], [item.price, true]]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (amount) cell.className = 'amount';
      row.append(cell);
    }
    const actions = document.createElement('td');
    if (open) {
      // Each button names its line by lineId: the line stays the same line whatever other lines come and go.
      actions.append(
        button('+', () => change('updateCartItems', { changes: [{ lineId: item.lineId, quantity: item.quantity + 1 }] }), 'One more ' + item.name),
        button('−', () => change('updateCartItems', { changes: [{ lineId: item.lineId, quantity: item.quantity - 1 }] }), 'One less ' + item.name),
        button('Remove', () => change('removeCartItems', { lineIds: [item.lineId] }), 'Remove ' + item.name));
    }
    row.append(actions);
    return row;
  }));
  // Amounts are strings such as "144.87": shown as served, never turned into JavaScript numbers.
  for (const field of ['cartItemTotal', 'additionalCostTotal', 'total', 'state', 'version', 'cartSetBy']) {
    $(field).textContent = session && session[field] != null ? String(session[field]) : '–';
  }
  for (const add of $('products').querySelectorAll('button')) add.disabled = !open;
  $('checkout').disabled = !session || !open || session.cartItems.length === 0;
  $('new-cart').hidden = open;
  follow();
}

// Shows a session unless the page shows a newer version of that cart already: an event for a change made elsewhere
// can arrive before the answer to the page's own change that came before it.
function take(next) {
  if (!(session && next.integrationId === session.integrationId && next.version < session.version)) session = next;
  show();
}

// Follows the stored cart's changes: one subscription, with the cart's token and the publishable key; reconnecting,
// it sends the version shown (sinceVersion), and the service sends the cart at once if it changed meanwhile.
function follow() {
  const cart = stored();
  const following = cart && `${cart.integrationId} ${cart.sessionToken}`;
  if (live && live.cart === following) return; // already following it (or it ended: a reload tries again)
  if (live) live.close();
  live = null;
  if (!cart) return;
  live = {
    cart: following,
    ...subscribe({
      url: config.api.replace(/^http/, 'ws'),
      authorization: 'ApiKey-v1 ' + config.publishableKey,
      query: `subscription Cart($id: String!, $token: String, $since: Int) {
        customerSessionChanged(integrationId: $id, sessionToken: $token, sinceVersion: $since) { version session { ${SESSION} } } }`,
      variables: () => ({ id: cart.integrationId, token: cart.sessionToken,
        since: session && session.integrationId === cart.integrationId ? session.version : undefined }),
      next: ({ customerSessionChanged: event }) => {
        // Versions the page shows already (its own changes come back this way too) change nothing.
        if (!session || !event.session || event.session.integrationId !== session.integrationId || event.version <= session.version) return;
        take(event.session);
        if (pending === 0) say(`Changed elsewhere (version ${session.version})`);
      },
      // The cart was deleted or its token replaced (read again, the cart is forgotten), or the service refused.
      ended: (error) => busy(async () => {
        await read();
        if (error && session) say(`Live updates stopped (${error.extensions?.code || 'ERROR'}: ${error.message}): reload to resume`);
      })(),
    }),
  };
}

// Reads this browser's cart back with its token; a cart the token no longer reaches is forgotten.
async function read() {
  const cart = stored();
  session = null;
  if (cart) {
    const result = await execute(`query Cart($id: String!, $token: String) {
      customerSession(integrationId: $id, sessionToken: $token) { ${SESSION} } }`, { id: cart.integrationId, token: cart.sessionToken });
    if (result.errors) throw new Error(problem(result));
    session = result.data.customerSession;
    if (!session) {
      localStorage.removeItem(STORAGE);
      say('The stored cart is gone: the next item starts a new one');
    }
  }
  show();
}

// Changes the cart with one line operation: the service applies it to the cart as stored, so another tab's or the
// shop's server's changes in between are kept, not overwritten, and no version needs to be sent. The first item
// starts the session (with shipping), and keeps its id and token.
async function change(operation, variables) {
  if (session && session.state !== 'open') { say(`This cart is ${session.state}: start a new one`); return; }
  const cart = stored();
  const result = await execute(LINE_OPERATIONS[operation], { id: session.integrationId, token: cart && cart.sessionToken, ...variables });
  if (result.errors) { say(problem(result)); return; }
  await saved(result.data[operation]);
  // An empty cart ships nothing: the shipping cost set with the first item goes with the last one.
  if (session && session.cartItems.length === 0 && session.additionalCostTotal !== '0') {
    const cleared = await execute(`mutation Clear($id: String!, $token: String) {
      updateCustomerSession(integrationId: $id, sessionToken: $token, input: { additionalCosts: [] }) { ${PAYLOAD} } }`,
    { id: session.integrationId, token: cart && cart.sessionToken });
    if (cleared.errors) { say(problem(cleared)); return; }
    await saved(cleared.data.updateCustomerSession);
  }
}

const LINE_OPERATIONS = {
  addCartItems: `mutation Add($id: String!, $token: String, $items: [CartItemInput!]!) {
    addCartItems(integrationId: $id, sessionToken: $token, items: $items) { ${PAYLOAD} } }`,
  updateCartItems: `mutation Change($id: String!, $token: String, $changes: [CartItemChangeInput!]!) {
    updateCartItems(integrationId: $id, sessionToken: $token, items: $changes) { ${PAYLOAD} } }`,
  removeCartItems: `mutation Remove($id: String!, $token: String, $lineIds: [ID!]!) {
    removeCartItems(integrationId: $id, sessionToken: $token, lineIds: $lineIds) { ${PAYLOAD} } }`,
};

async function addProduct(product) {
  const line = { sku: product.sku, name: product.name, price: product.price, quantity: 1 };
  if (session) {
    await change('addCartItems', { items: [line] });
    return;
  }
  // The page sets the prices it shows: the shopper's claim, which the shop's server checks at checkout.
  const result = await execute(`mutation Start($input: CustomerSessionInput!) { startCustomerSession(input: $input) { ${PAYLOAD} sessionToken } }`,
    { input: { cartItems: [line], additionalCosts: config.shipping } });
  if (result.errors) { say(problem(result)); return; }
  const payload = result.data.startCustomerSession;
  if (payload.sessionToken) {
    // Shown this once: without it this browser cannot reach its cart again.
    localStorage.setItem(STORAGE, JSON.stringify({ integrationId: payload.customerSession.integrationId, sessionToken: payload.sessionToken }));
  }
  await saved(payload);
}

async function saved(payload) {
  if (payload.userErrors.length === 0) {
    take(payload.customerSession);
    say(`Saved (version ${session.version})`);
    return;
  }
  say(payload.userErrors[0].message);
  // A line another tab removed meanwhile: show the cart as it is now.
  if (payload.userErrors[0].code === 'NOT_FOUND') await read();
}

// The shop's server places the order: it alone may bind the customer and close the session, and it re-prices the
// cart first. The token goes along to show that this browser holds the cart.
async function checkout() {
  const response = await fetch('/checkout', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...stored(), customer: $('customer').value }),
  });
  const answer = await response.json();
  if (!response.ok) {
    say(answer.message);
    if (response.status === 409) await read();
    return;
  }
  take(answer.customerSession);
  const corrected = answer.repriced.map((line) => line.sku || line.cost);
  say('Order placed' + (corrected.length > 0 ? ` (the shop re-priced ${corrected.join(', ')})` : ''));
}

// The shopper logs in: the shop's server merges this guest cart into the cart the customer left open earlier (on this
// device or another), which this page then holds instead, with a token the server issued for it.
async function login() {
  const cart = stored();
  if (!cart) { say('Logged in: the next item starts your cart'); return; }
  const response = await fetch('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...cart, customer: $('customer').value }),
  });
  const answer = await response.json();
  if (!response.ok) { say(answer.message); return; }
  if (answer.sessionToken) {
    localStorage.setItem(STORAGE, JSON.stringify({ integrationId: answer.integrationId, sessionToken: answer.sessionToken }));
  }
  session = answer.customerSession;
  show();
  say(answer.merged > 0 ? 'Logged in: your earlier cart and this one are merged' : 'Logged in');
}

function newCart() {
  localStorage.removeItem(STORAGE);
  session = null;
  show();
  say('A new cart starts with the next item');
}

async function start() {
  let graphqlHttp;
  try {
    graphqlHttp = await import('./node_modules/graphql-http/lib/client.mjs');
  } catch {
    say('The GraphQL client is missing: run npm install in examples/storefront, then reload this page');
    return;
  }
  config = await (await fetch('/config.json')).json();
  client = graphqlHttp.createClient({ url: config.api, headers: { Authorization: 'ApiKey-v1 ' + config.publishableKey } });
  const application = await execute('{ application { currency } }');
  if (application.errors) { say(problem(application)); return; }
  const { currency } = application.data.application;
  $('currency').textContent = currency;
  $('products').replaceChildren(...config.catalogue.map((product) => {
    // addCartItems adds the unit to the product's line when the cart has it, else appends a line.
    const add = button(`Add ${product.name.toLowerCase()} (${product.price} ${currency})`, () => addProduct(product));
    add.dataset.sku = product.sku;
    return add;
  }));
  await read();
}

// One action at a time, in the order the shopper asked for them: each change builds on the one before.
let queue = Promise.resolve();
let pending = 0;
function busy(action) {
  return () => {
    pending++;
    document.body.dataset.busy = 'true';
    queue = queue.then(action).catch((failure) => say(String(failure.message || failure))).finally(() => {
      if (--pending === 0) delete document.body.dataset.busy;
    });
    return queue;
  };
}

$('login').addEventListener('click', busy(login));
$('checkout').addEventListener('click', busy(checkout));
$('new-cart').addEventListener('click', busy(newCart));
busy(start)().then(() => { document.body.dataset.ready = 'true'; });
