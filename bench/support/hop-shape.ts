/**
 * The admission bench's shape floor: the door's process shape with none of its work. A
 * node:http server in a process of its own (as the door runs in one) relays each request's
 * body over a unix socket to echo processes standing where the four plugins stand — /mutate
 * through two of them one after the other, /validate through the other two at once — and
 * answers a fixed allowed AdmissionReview. No gRPC, no JSON parsing, no chain, no hook: what
 * the load generator, node:http and four process hops cost on this machine, with nothing else.
 *
 *   hop-shape.js echo PATH                 an echo process: each frame back as it came
 *   hop-shape.js relay PATH_A PATH_B PATH_C PATH_D
 *
 * Frames are a 4-byte big-endian length and the bytes. Each prints one JSON line once
 * listening ({"bound":true} or {"url":…}) and exits when stdin closes (the bench's lifeline).
 */
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** Calls `onFrame` for each whole frame arriving on `sock`. */
function readFrames(sock: Socket, onFrame: (frame: Buffer) => void): void {
  let pending: Buffer | undefined;
  sock.on('data', (chunk: Buffer) => {
    let buf = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    while (buf.length >= 4) {
      const size = buf.readUInt32BE(0);
      if (buf.length < 4 + size) break;
      onFrame(buf.subarray(4, 4 + size));
      buf = buf.subarray(4 + size);
    }
    pending = buf.length > 0 ? buf : undefined;
  });
}

function writeFrame(sock: Socket, frame: Buffer): void {
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(frame.length, 0);
  sock.write(Buffer.concat([head, frame]));
}

/** One connection to an echo process; replies come back in the order the frames went. */
class Hop {
  readonly #sock: Socket;
  readonly #waiting: Array<(frame: Buffer) => void> = [];

  constructor(path: string) {
    this.#sock = connect(path);
    this.#sock.setNoDelay(true);
    readFrames(this.#sock, (frame) => this.#waiting.shift()?.(frame));
    this.#sock.on('error', (err) => {
      process.stderr.write(`hop-shape: ${path}: ${err.message}\n`);
      process.exit(1);
    });
  }

  call(frame: Buffer): Promise<Buffer> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      writeFrame(this.#sock, frame);
    });
  }
}

const [role, ...paths] = process.argv.slice(2);
if (role === 'echo' && paths.length === 1) {
  createServer((sock) => readFrames(sock, (frame) => writeFrame(sock, frame)))
    .listen(paths[0], () => process.stdout.write(`${JSON.stringify({ bound: true })}\n`));
} else if (role === 'relay' && paths.length === 4) {
  const [a, b, c, d] = paths.map((p) => new Hop(p)) as [Hop, Hop, Hop, Hop];
  const answer = Buffer.from(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'shape', allowed: true } }));
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const hops = req.url?.startsWith('/mutate') ? a.call(body).then((x) => b.call(x)) : Promise.all([c.call(body), d.call(body)]);
      void hops.then(() => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length }).end(answer));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
  });
} else {
  process.stderr.write('usage: hop-shape.js echo PATH | relay PATH_A PATH_B PATH_C PATH_D\n');
  process.exit(2);
}
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
