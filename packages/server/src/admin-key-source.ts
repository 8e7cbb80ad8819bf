import { readFile } from 'node:fs/promises';

/**
 * The admin key held in a file (`--admin-key-file`): its text without the trailing line break
 * editors and `echo` add. The key itself is never part of an error message.
 * @throws Error naming the file when it cannot be read or holds no key.
 */
export async function readAdminKey(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the admin key file ${path}: ${(error as Error).message}`);
  }
  const key = text.replace(/\r?\n$/, '');
  if (key.length === 0) throw new Error(`the admin key file ${path} is empty`);
  return key;
}
