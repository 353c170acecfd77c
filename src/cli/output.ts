/**
 * Output files: checked before a run starts (bad path = bad input, exit 2),
 * written whole or not at all (a temporary file renamed into place).
 */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../util/errors.js';

export function checkWritable(path: string, flag: string): void {
  const abs = resolve(path);
  const dir = dirname(abs);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${flag} ${JSON.stringify(path)}: directory ${dir} does not exist (allowed: a file in an existing directory)`);
  }
  if (existsSync(abs) && statSync(abs).isDirectory()) {
    throw new UsageError(`${flag} ${JSON.stringify(path)}: is a directory (allowed: a file in an existing directory)`);
  }
}

export function writeText(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeJson(path: string, value: unknown): void {
  writeText(path, JSON.stringify(value, null, 2) + '\n');
}
