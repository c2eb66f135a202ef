// The example storefront's logic: a GraphQL-over-HTTP client from npm (graphql-http), the cart in customer-sessions.
import { createClient } from './node_modules/graphql-http/lib/client.mjs';

const $ = (id) => document.getElementById(id);
const client = createClient({
  url: new URL('/graphql', window.location.href).toString(),
  headers: () => ({ Authorization: 'ApiKey-v1 ' + ($('key').value || 'dev-api-key') }),
});

const CATALOG = {
  'add-shoes': { sku: 'SHOE-RED-42', name: 'Running shoes', price: '59.95' },
  'add-socks': { sku: 'SOCKS-3PACK', name: 'Socks', price: '9.99' },
};
const SHIPPING = [{ name: 'shipping', price: '4.99' }];
const SESSION = 'integrationId state version cartItems { sku name quantity price } cartItemTotal additionalCostTotal total';

let session = null; // the session as last read or written: its version is the base of the next change

function execute(query, variables) {
  return new Promise((resolve, reject) => {
    let result;
    client.subscribe({ query, variables }, { next: (value) => { result = value; }, error: reject, complete: () => resolve(result) });
  });
}

function say(text) {
  $('status').textContent = text;
}

function show() {
  $('lines').replaceChildren(...(session ? session.cartItems : []).map((item) => {
    const row = document.createElement('tr');
    for (const [text, amount] of [[item.name || item.sku, false], [String(item.quantity), false], [item.price, true]]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (amount) cell.className = 'amount';
      row.append(cell);
    }
    return row;
  }));
  // Amounts are strings such as "144.87": shown as served, never turned into JavaScript numbers.
  for (const field of ['cartItemTotal', 'additionalCostTotal', 'total', 'state', 'version']) {
    $(field).textContent = session ? String(session[field]) : '–';
  }
}

async function read() {
  const result = await execute(`query Cart($id: String!) { customerSession(integrationId: $id) { ${SESSION} } }`, { id: $('cart').value });
  if (result.errors) throw new Error(result.errors[0].message);
  session = result.data.customerSession;
  show();
}

// Adds one unit; on VERSION_CONFLICT (the cart changed elsewhere since it was read) reads it again and retries.
async function add(product) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const items = (session ? session.cartItems : []).map(({ sku, name, quantity, price }) => ({ sku, name, quantity, price }));
    const line = items.find((item) => item.sku === product.sku);
    if (line) line.quantity += 1; else items.push({ ...product, quantity: 1 });
    const result = await execute(
      `mutation Update($id: String!, $input: CustomerSessionInput!, $version: Int) {
         updateCustomerSession(integrationId: $id, input: $input, expectedVersion: $version) {
           customerSession { ${SESSION} } userErrors { code field message } } }`,
      { id: $('cart').value, input: { cartItems: items, additionalCosts: SHIPPING }, version: session ? session.version : 0 });
    if (result.errors) { say(result.errors[0].message); return; }
    const payload = result.data.updateCustomerSession;
    if (payload.userErrors.length === 0) {
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

async function close() {
  const result = await execute(
    `mutation Close($id: String!) { closeCustomerSession(integrationId: $id) { customerSession { ${SESSION} } userErrors { code message } } }`,
    { id: $('cart').value });
  const payload = result.data && result.data.closeCustomerSession;
  if (!payload || payload.userErrors.length > 0) { say(payload ? payload.userErrors[0].message : result.errors[0].message); return; }
  session = payload.customerSession;
  show();
  say('Order placed');
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
  };
}

for (const [id, product] of Object.entries(CATALOG)) $(id).addEventListener('click', busy(() => add(product)));
$('close').addEventListener('click', busy(close));
$('cart').addEventListener('change', busy(read));
document.body.dataset.ready = 'true';
