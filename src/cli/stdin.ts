/**
 * Reads a secret from standard input rather than from an argument, because arguments end up in shell
 * history and in every other user's `ps` listing.
 */
export async function readFirstLine(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.includes('\n')) break;
  }
  // Breaking out of the loop destroys stdin; a terminal left open would otherwise keep the process alive.
  const line = text.split('\n')[0] ?? '';
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
