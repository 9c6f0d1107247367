/** Browser mode's softphone launcher: hands a `tel:`/`sip:` URI to the desktop's URI opener. */
import { spawn } from 'node:child_process';
import { isExternalDialUri } from '../security-policy.ts';

/** Returns the desktop opener and its arguments. The URI is always a single argument, never parsed by a shell. */
export function openerCommand(platform: NodeJS.Platform, uri: string): { command: string; args: string[] } {
  switch (platform) {
    case 'darwin':
      return { command: 'open', args: [uri] };
    case 'win32':
      // `start` is a cmd built-in; the empty argument (quoted as "" by Node) is the window title it
      // expects first. The URI reaches cmd only after `isExternalDialUri`, which admits no shell
      // metacharacters.
      return { command: 'cmd', args: ['/c', 'start', '', uri] };
    default:
      return { command: 'xdg-open', args: [uri] };
  }
}

/** Opens a dial URI; rejects anything but `tel:`/`sip:` phone URIs and a non-zero exit of the opener. */
export function openDialUri(uri: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (!isExternalDialUri(uri)) {
    // The scheme only: the rest of a URI handed here could be a phone number.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1] ?? '(none)';
    return Promise.reject(new Error(`Invalid dial URI with the scheme "${scheme}:": only tel: and sip: phone URIs are allowed`));
  }

  const { command, args } = openerCommand(platform, uri);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', windowsHide: true });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with code ${String(code)}`))));
  });
}
