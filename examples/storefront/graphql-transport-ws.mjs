// A tiny client of the graphql-transport-ws protocol, the one customer-sessions speaks for subscriptions on its
// /graphql WebSocket: enough for a page to follow one subscription, with no bundler and no dependency.
//
// connection_init carries the key (a browser cannot set headers on a WebSocket); the subscription starts once the
// service acknowledges it. Pings are answered with pongs, and the page pings too: a connection silent for too long is
// taken for lost. A lost connection is opened again after a growing delay, and the subscription sent again with the
// variables of that moment (variables() is called anew), so that the page can say what it has (sinceVersion).
// Refusals that another attempt would not change (a bad key, a malformed message) end it, as do the subscription's
// own end (complete) and its errors: ended() is then called once, with the error, if any.

// Close codes that retrying cannot cure: a malformed message, unauthorized, forbidden (a wrong or revoked key), a
// subscription id in use, a second connection_init.
const FINAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4409, 4429]);
const PING_EVERY_MS = 20_000;
const SILENT_FOR_MS = 50_000; // the service pings at least every 20 s (a third of its idle timeout)
const ID = '1'; // one subscription per connection

export function subscribe({ url, authorization, query, variables, next, ended }) {
  let socket;
  let timer;
  let retry;
  let attempts = 0;
  let heard = 0;
  let over = false;

  function connect() {
    socket = new WebSocket(url, 'graphql-transport-ws');
    const send = (message) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));
    socket.onopen = () => {
      heard = Date.now();
      send({ type: 'connection_init', payload: { Authorization: authorization } });
    };
    socket.onmessage = ({ data }) => {
      heard = Date.now();
      const message = JSON.parse(data);
      if (message.type === 'connection_ack') {
        attempts = 0;
        send({ id: ID, type: 'subscribe', payload: { query, variables: variables() } });
      } else if (message.type === 'ping') {
        send({ type: 'pong' });
      } else if (message.id !== ID) {
        // a pong, or a message of no subscription of ours
      } else if (message.type === 'next' && !message.payload.errors) {
        next(message.payload.data);
      } else if (message.type === 'next' || message.type === 'error') {
        end((message.payload.errors || message.payload)[0]); // a refusal, or the subscription failed (NOT_FOUND, ...)
      } else if (message.type === 'complete') {
        end(null);
      }
    };
    socket.onclose = (event) => {
      if (FINAL_CLOSE_CODES.has(event.code)) {
        end({ message: event.reason, extensions: { code: event.code } });
      } else {
        reconnect();
      }
    };
    clearInterval(timer);
    timer = setInterval(() => (Date.now() - heard > SILENT_FOR_MS ? reconnect() : send({ type: 'ping' })), PING_EVERY_MS);
  }

  // Drops this connection (lost, closed or silent) and opens another after 0.5–1 s, doubling up to 15–30 s.
  function reconnect() {
    drop();
    if (over) return;
    const delay = Math.min(30_000, 1000 * 2 ** attempts++) * (0.5 + Math.random() / 2);
    retry = setTimeout(connect, delay);
  }

  function drop() {
    clearInterval(timer);
    clearTimeout(retry);
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id: ID, type: 'complete' }));
    socket.close(1000);
  }

  function end(error) {
    if (over) return;
    over = true;
    drop();
    ended(error);
  }

  connect();
  return { close: () => { over = true; drop(); } };
}
