// The example storefront's page. It calls customer-sessions directly, from the shopper's browser, with the shop's
// publishable key: anything a page holds can be read in the developer tools, and that key reaches only the carts
// whose session token it is shown. The cart's id and token stay in this browser's localStorage (one cart per
// browser profile); placing the order is left to the shop's server (shop-server.mjs), which holds the secret key.
const $ = (id) => document.getElementById(id);
const STORAGE = 'customer-sessions-cart'; // {integrationId, sessionToken} of this browser's cart
const SESSION = 'integrationId state version cartSetBy cartItems { sku name quantity price } cartItemTotal additionalCostTotal total';
const PAYLOAD = `customerSession { ${SESSION} } userErrors { code message }`;

let config; // from the shop's server: {publishableKey, api, catalogue, shipping}
let client; // graphql-http's GraphQL-over-HTTP client, once its module is loaded
let session = null; // the cart as last read or written: its version is the base of the next change

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
      const others = (items) => items.filter((other) => other.sku !== item.sku);
      actions.append(
        button('+', () => change((items) => items.map((other) => (other.sku === item.sku ? { ...other, quantity: other.quantity + 1 } : other))), 'One more ' + item.name),
        button('−', () => change((items) => (item.quantity > 1
          ? items.map((other) => (other.sku === item.sku ? { ...other, quantity: other.quantity - 1 } : other)) : others(items))), 'One less ' + item.name),
        button('Remove', () => change(others), 'Remove ' + item.name));
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

// Changes the cart's lines with edit(items) → items. The first change starts the session, and keeps its id and
// token; later ones send the version they build on, and on VERSION_CONFLICT (the cart changed elsewhere since it
// was read: another tab, the shop's server) read the cart again and apply the edit to what is stored now.
async function change(edit) {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (session && session.state !== 'open') { say(`This cart is ${session.state}: start a new one`); return; }
    const cartItems = edit((session ? session.cartItems : []).map(({ sku, name, quantity, price }) => ({ sku, name, quantity, price })));
    // The page sets the prices it shows: the shopper's claim, which the shop's server checks at checkout.
    const input = { cartItems, additionalCosts: cartItems.length > 0 ? config.shipping : [] };
    const cart = stored();
    const result = session
      ? await execute(`mutation Update($id: String!, $token: String, $input: CustomerSessionInput!, $version: Int) {
          updateCustomerSession(integrationId: $id, sessionToken: $token, input: $input, expectedVersion: $version) { ${PAYLOAD} } }`,
        { id: session.integrationId, token: cart && cart.sessionToken, input, version: session.version })
      : await execute(`mutation Start($input: CustomerSessionInput!) { startCustomerSession(input: $input) { ${PAYLOAD} sessionToken } }`, { input });
    if (result.errors) { say(problem(result)); return; }
    const payload = result.data.updateCustomerSession || result.data.startCustomerSession;
    if (payload.userErrors.length === 0) {
      if (payload.sessionToken) {
        // Shown this once: without it this browser cannot reach its cart again.
        localStorage.setItem(STORAGE, JSON.stringify({ integrationId: payload.customerSession.integrationId, sessionToken: payload.sessionToken }));
      }
      session = payload.customerSession;
      show();
      say(`Saved (version ${session.version})`);
      return;
    }
    if (payload.userErrors[0].code !== 'VERSION_CONFLICT') { say(payload.userErrors[0].message); return; }
    say('The cart changed elsewhere: read it again');
    await read();
  }
  say('The cart keeps changing elsewhere; try again');
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
  session = answer.customerSession;
  show();
  const corrected = answer.repriced.map((line) => line.sku || line.cost);
  say('Order placed' + (corrected.length > 0 ? ` (the shop re-priced ${corrected.join(', ')})` : ''));
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
    const add = button(`Add ${product.name.toLowerCase()} (${product.price} ${currency})`, () => change((items) => {
      const line = items.find((item) => item.sku === product.sku);
      return line ? items.map((item) => (item === line ? { ...item, quantity: item.quantity + 1 } : item)) : [...items, { ...product, quantity: 1 }];
    }));
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

$('checkout').addEventListener('click', busy(checkout));
$('new-cart').addEventListener('click', busy(newCart));
busy(start)().then(() => { document.body.dataset.ready = 'true'; });
