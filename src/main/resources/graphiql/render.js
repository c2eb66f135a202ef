// GraphiQL for customer-sessions, served in place of the bundled start-up script (see GraphiQLPage.java).
// The Headers tab holds API keys: they stay in this page's memory only, never in the address bar (where they
// would land in browser history and, on reload, in proxy logs) and never in the browser's storage (GraphiQL
// keeps its tabs and query history there, with their headers, unless told otherwise).
(function () {
  'use strict';
  var endpoint = window.location.origin + '/graphql';
  var params = new URLSearchParams(window.location.search);

  // An old link may still carry headers: drop them from the address before anything else.
  if (params.has('headers')) {
    params.delete('headers');
    window.history.replaceState(null, '', window.location.pathname + (params.toString() ? '?' + params : ''));
  }

  // The query, its variables and operation name may stay in the address, so that a query can be shared.
  function remember(name) {
    return function (value) {
      if (value) {
        params.set(name, value);
      } else {
        params.delete(name);
      }
      window.history.replaceState(null, '', window.location.pathname + (params.toString() ? '?' + params : ''));
    };
  }

  // GraphiQL keeps its tabs and query history in the browser's storage, headers included: keep all of it but
  // the headers (and drop any that an older page stored).
  function withoutHeaders(text) {
    try {
      return JSON.stringify(JSON.parse(text, function (key, value) { return key === 'headers' ? undefined : value; }));
    } catch (notJson) {
      return text;
    }
  }
  var storage = {
    getItem: function (key) { return window.localStorage.getItem(key); },
    setItem: function (key, value) {
      if (!/headers$/i.test(key)) {
        window.localStorage.setItem(key, withoutHeaders(value));
      }
    },
    removeItem: function (key) { window.localStorage.removeItem(key); },
    clear: function () { window.localStorage.clear(); },
    get length() { return window.localStorage.length; }
  };
  Object.keys(window.localStorage).filter(function (key) { return key.indexOf('graphiql') === 0; }).forEach(function (key) {
    if (/headers$/i.test(key)) {
      window.localStorage.removeItem(key);
    } else {
      window.localStorage.setItem(key, withoutHeaders(window.localStorage.getItem(key)));
    }
  });

  // GraphiQL hands the Headers tab to the fetcher with every request; they are not kept anywhere else. A
  // subscription runs over our WebSocket (graphql-transport-ws), where GraphiQL sends that tab's headers as the
  // connection_init payload: the key there authenticates subscriptions too.
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    subscriptionUrl: endpoint.replace(/^http/, 'ws'),
    headers: { Accept: 'application/json' }
  });

  ReactDOM.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      query: params.get('query') || undefined,
      variables: params.get('variables') || undefined,
      operationName: params.get('operationName') || undefined,
      onEditQuery: remember('query'),
      onEditVariables: remember('variables'),
      onEditOperationName: remember('operationName'),
      headerEditorEnabled: true,
      shouldPersistHeaders: false,
      storage: storage,
      defaultEditorToolsVisibility: true
    }),
    document.getElementById('graphiql')
  );
})();
