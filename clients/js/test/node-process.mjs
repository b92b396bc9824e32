// Starts a real gateway node (the fat jar) for the client tests, on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const JAR = fileURLToPath(new URL('../../../verticles/node/target/jw-gateway.jar', import.meta.url));
const READY = /node ready on ws:\/\/[^:]+:(\d+)\//;

/**
 * Starts a node on `port` (0: any free one), with further flags (`--cluster`, ...) and
 * environment variables (`JWGW_*`); resolves with {port, url, stop(), kill()}: stop asks it
 * to drain (SIGTERM), kill ends it as a crash would (SIGKILL).
 */
export function startNode(port = 0, flags = [], env = {}) {
  const child = spawn('java', ['-Xmx256m', '-jar', JAR, '--host', '127.0.0.1', '--port', String(port), ...flags], {
    cwd: mkdtempSync(join(tmpdir(), 'jw-client-test-')),
    stdio: ['ignore', 'pipe', 'pipe'],
    // a short drain: a stopping node answers open requests for at most this long
    env: { ...process.env, JWGW_SHUTDOWN_GRACE_MS: '500', ...env },
  });
  let output = '';
  let ready = false;
  const ended = signal => new Promise(done => {
    if (child.exitCode !== null || child.signalCode !== null) {
      done();
      return;
    }
    child.once('exit', done);
    child.kill(signal);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node not ready in 60 s:\n${output}`)), 60_000);
    // stays attached after the node is ready, so its pipes keep draining
    const onData = chunk => {
      if (ready) {
        return;
      }
      output += chunk;
      const match = READY.exec(output);
      if (match) {
        ready = true;
        clearTimeout(timer);
        const actual = Number(match[1]);
        resolve({
          port: actual,
          url: `ws://127.0.0.1:${actual}/ws`,
          stop: () => ended('SIGTERM'),
          kill: () => ended('SIGKILL'),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', code => reject(new Error(`node exited (${code}) before it was ready:\n${output}`)));
  });
}
