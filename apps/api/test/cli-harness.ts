/** Runs the admin CLI in-process against a test DataSource, capturing what it prints. */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { runCli } from '../src/cli/program';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** `closes()` counts how often a command closed the database it opened (it must, always). */
export function inProcessCli(dataSource: () => DataSource) {
  let closes = 0;
  const cli = async (...argv: string[]): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      output: { out: (t) => out.push(t), err: (t) => err.push(t) },
      openDatabase: async () => ({
        dataSource: dataSource(),
        close: async () => {
          closes++;
        },
      }),
    });
    return { code, out: out.join(''), err: err.join('') };
  };
  return { cli, closes: () => closes };
}

/** Writes `text` to a fresh file in `dir` whose name ends with `name`. */
export async function inputFile(dir: string, name: string, text: string): Promise<string> {
  const p = path.join(dir, `${randomBytes(4).toString('hex')}-${name}`);
  await writeFile(p, text);
  return p;
}
