// `npm run dev`: the API rebuilt and restarted on change (tsc --watch + node --watch) and
// Vite with hot reload on http://localhost:5173, proxying /api and /socket.io to the API.
import { spawn, spawnSync } from 'node:child_process';

const run = (cmd, args, env = {}) => spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });

const first = spawnSync('npx', ['tsc', '-b', 'apps/api/tsconfig.build.json'], { stdio: 'inherit' });
if (first.status !== 0) process.exit(first.status ?? 1);

const children = [
  run('npx', ['tsc', '-b', 'apps/api/tsconfig.build.json', '--watch', '--preserveWatchOutput']),
  run(
    process.execPath,
    ['--watch-path=apps/api/dist', '--watch-path=libs/contracts/dist', '--watch-path=libs/workflow/dist', 'apps/api/dist/main.js'],
    {
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'log',
    },
  ),
  run('npx', ['vite', 'apps/web', '--host', '127.0.0.1']),
];

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const child of children) child.on('exit', () => stop('SIGTERM'));
