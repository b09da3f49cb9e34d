/**
 * The admission bench's floor: a node:http server in a process of its own (as the door runs in
 * one) answering every request with a fixed allowed AdmissionReview, reading nothing but the
 * body. What the load generator, loopback TCP and node:http cost, with no door behind them.
 * Prints {"url":…} once listening; exits when stdin closes (the bench's lifeline).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const answer = Buffer.from(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'floor', allowed: true } }));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length }).end(answer));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
