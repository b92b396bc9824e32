// Runs the client tests with Node's built-in runner; Node 20 needs a flag for its WebSocket.
import { spawnSync } from 'node:child_process';

const flags = typeof WebSocket === 'undefined' ? ['--experimental-websocket', '--no-warnings'] : [];
// every test is bounded: a hang fails the run instead of stalling it
const run = spawnSync(process.execPath, [...flags, '--test', '--test-timeout=240000', 'test/'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
