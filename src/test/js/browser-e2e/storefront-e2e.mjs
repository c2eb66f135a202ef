// Drives the example storefront in headless Chromium as a shopper would, with a second client changing the cart
// in between, checks with graphql-js, in the browser, that the committed schema is the one the service serves, and
// uses GraphiQL with a key in its Headers tab.
// Usage: node storefront-e2e.mjs <base URL> <API key> <chromium executable> <committed schema.graphql>
// Prints one JSON object with what the page showed.
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const [base, apiKey, executablePath, schemaFile] = process.argv.slice(2);
const committedSchema = await readFile(schemaFile, 'utf8');
const cart = 'e2e-' + Date.now();

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const seen = {};
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(base + '/examples/storefront/index.html');
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#key', apiKey);
  await page.fill('#cart', cart);

  const click = async (id) => {
    await page.click('#' + id);
    await page.waitForFunction(() => !document.body.dataset.busy);
  };
  await click('add-shoes');
  await click('add-shoes');
  seen.afterTwoShoes = await page.textContent('#total');
  seen.statusAfterTwoShoes = await page.textContent('#status');

  // Another client (another tab, the backend) changes the cart: the page's next change meets VERSION_CONFLICT.
  const other = await fetch(base + '/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'ApiKey-v1 ' + apiKey },
    body: JSON.stringify({
      query: 'mutation($id: String!) { updateCustomerSession(integrationId: $id, input: { couponCodes: ["ELSEWHERE"] }) { customerSession { version } } }',
      variables: { id: cart },
    }),
  });
  seen.otherClientVersion = (await other.json()).data.updateCustomerSession.customerSession.version;

  await click('add-socks');
  seen.statusAfterConflict = await page.textContent('#status');
  await click('add-socks');
  for (const id of ['cartItemTotal', 'additionalCostTotal', 'total', 'version']) {
    seen[id] = await page.textContent('#' + id);
  }
  seen.lines = await page.$$eval('#lines tr', (rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)));
  await click('close');
  seen.state = await page.textContent('#state');
  seen.finalStatus = await page.textContent('#status');

  // graphql-js in the browser: a client schema from the committed SDL equals the one introspection describes.
  seen.schemaMatches = await page.evaluate(async (sdl) => {
    const graphql = await import('/examples/storefront/node_modules/graphql/index.mjs');
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: graphql.getIntrospectionQuery() }),
    });
    const served = graphql.buildClientSchema((await response.json()).data);
    const committed = graphql.buildSchema(sdl);
    // Types, fields, arguments and descriptions; the SDL leaves out the server's own directive definitions.
    const typesOnly = (schema) => new graphql.GraphQLSchema({ ...schema.toConfig(), directives: graphql.specifiedDirectives });
    const print = (schema) => graphql.printSchema(graphql.lexicographicSortSchema(typesOnly(schema)));
    const a = print(committed).split('\n');
    const b = print(served).split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    return at < 0 && a.length === b.length ? true
      : 'first difference at line ' + (at + 1) + ':\n  committed: ' + a[at] + '\n  served:    ' + b[at];
  }, committedSchema);
  seen.pageErrors = problems;

  // GraphiQL: a key typed into the Headers tab authenticates the request, and stays out of the address bar and of
  // the browser's storage.
  await page.goto(base + '/q/graphql-ui/');
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');
  await page.getByText('Headers', { exact: true }).click();
  await page.evaluate((key) => {
    document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ application { currency } }');
    const editors = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')];
    editors[editors.length - 1].CodeMirror.setValue(JSON.stringify({ Authorization: 'ApiKey-v1 ' + key }));
  }, apiKey);
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue().includes('"data"'));
  seen.graphiqlAnswer = JSON.parse(await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()));
  seen.graphiqlUrlHoldsKey = page.url().includes(encodeURIComponent(apiKey)) || page.url().includes(apiKey);
  seen.graphiqlStorageHoldsKey = await page.evaluate((key) => JSON.stringify(Object.assign({}, window.localStorage)).includes(key), apiKey);
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
