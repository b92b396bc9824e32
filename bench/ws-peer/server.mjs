// The benchmark's Node peer: what a user would write with `ws` instead of the gateway, with
// the bare Vert.x server's behaviour (bench/src/main/java/org/jwws/bench/BareServer.java). A
// text frame containing "action":"sub" makes the sender a subscriber (acknowledged with a
// fixed frame); one containing "action":"pub" goes as it is to every subscriber (the received
// bytes, framed per subscriber: ws's own broadcast idiom); anything else is echoed back.
// One process, one thread: Node's usual deployment of a ws server.
//   node server.mjs [port]   (0: a random port; prints "ws server ready on port N")
import { WebSocketServer } from 'ws';

const ACK = '{"mode":"pub_sub","action":"ack","code":200,"msg":"success","topic":["bench"]}';
const subscribers = new Set();
const port = Number(process.argv[2] ?? 0);

const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/ws' });
server.on('connection', (ws) => {
  ws.on('close', () => subscribers.delete(ws));
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => {
    // a Buffer (one frame's bytes, or a message's): searched without decoding it
    if (data.includes('"action":"pub"')) {
      for (const subscriber of subscribers) {
        subscriber.send(data, { binary: isBinary });
      }
    } else if (data.includes('"action":"sub"')) {
      subscribers.add(ws);
      ws.send(ACK);
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
});
server.on('listening', () => console.log(`ws server ready on port ${server.address().port}`));
server.on('error', (err) => {
  console.error(err);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
