/**
 * Placement rule of the workstation database: it lives only on a disk of this machine. SQLite's WAL mode,
 * which the store relies on, needs every process on one host; sqlite.org/wal.html states that
 * "WAL does not work over a network filesystem". A database on a share would also put one
 * office's debtors within reach of every machine that mounts it.
 *
 * The policy is to reject it and name a local folder to use instead, never to move the data
 * silently. A silent fallback would start an empty database while the old one, maybe with an
 * untypified contact and unsent events, stayed on the share.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { AppError, assertNever } from '@gestiona/core/result';

/** Linux file system types that are served over the network (`/proc/self/mountinfo`, field after ` - `). */
export const NETWORK_FS_TYPES: ReadonlySet<string> = new Set(['cifs', 'smb3', 'smbfs', 'nfs', 'nfs4', 'ncpfs', 'afs', 'ceph', 'glusterfs', 'fuse.sshfs']);

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

export type NetworkLocation =
  | { kind: 'unc'; path: string }
  | { kind: 'url'; scheme: string }
  | { kind: 'mount'; mountPoint: string; fsType: string };

/** Machine facts that the placement check reads; tests pass their own. */
export interface PlacementProbe {
  platform: NodeJS.Platform;
  /** Text of `/proc/self/mountinfo`, or null where there is none (not Linux, or unreadable). */
  mountInfo: string | null;
  env: NodeJS.ProcessEnv;
  home: string;
  /** Resolves symlinks of the longest existing prefix of a path. */
  realpath(target: string): string;
}

export function systemProbe(): PlacementProbe {
  return {
    platform: process.platform,
    mountInfo: readMountInfo(),
    env: process.env,
    home: homedir(),
    realpath: realpathOfExistingPrefix,
  };
}

/** Parses `/proc/self/mountinfo` (see proc(5)): the mount point is field 5, the type follows the ` - ` separator. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const separator = line.indexOf(' - ');
    if (separator === -1) continue;
    const before = line.slice(0, separator).split(' ');
    const after = line.slice(separator + 3).split(' ');
    if (before.length < 5 || after.length < 2) continue;
    entries.push({ mountPoint: unescapeMountField(before[4]!), fsType: after[0]!, source: unescapeMountField(after[1]!) });
  }
  return entries;
}

/** Decodes the octal escapes (`\040`) that the kernel writes for space, tab, newline and backslash in mount fields. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Returns why `dataDir` is on the network, or null when it is local as far as this check can tell.
 *
 * NOTE: on Windows a drive letter mapped to a share (`Z:\`) looks local here, because telling it
 * apart needs GetDriveTypeW, which Node does not expose. macOS mounts of SMB or NFS shares under
 * `/Volumes` are not detected either.
 */
export function networkLocationOf(dataDir: string, probe: PlacementProbe): NetworkLocation | null {
  const url = /^([a-z][a-z0-9+.-]+):\/\//i.exec(dataDir);
  if (url) return { kind: 'url', scheme: url[1]!.toLowerCase() };
  if (isUncPath(dataDir, probe.platform)) return { kind: 'unc', path: dataDir };
  if (probe.mountInfo === null) return null;

  const real = probe.realpath(path.resolve(dataDir));
  const mount = longestMountOf(real, parseMountInfo(probe.mountInfo));
  if (mount && NETWORK_FS_TYPES.has(mount.fsType)) return { kind: 'mount', mountPoint: mount.mountPoint, fsType: mount.fsType };
  return null;
}

/**
 * `\\server\share\…` on any platform, and `//server/share/…` or `\\?\UNC\…` on Windows. The
 * Windows forms `\\?\C:\…` and `\\.\…` name local paths and devices, so they pass.
 */
function isUncPath(dataDir: string, platform: NodeJS.Platform): boolean {
  if (/^\\\\\?\\unc\\/i.test(dataDir)) return true;
  if (/^\\\\[?.]\\/.test(dataDir)) return false;
  if (/^\\\\[^\\]/.test(dataDir)) return true;
  return platform === 'win32' && /^[\\/]{2}[^\\/?.]/.test(dataDir);
}

function longestMountOf(target: string, mounts: readonly MountEntry[]): MountEntry | null {
  let best: MountEntry | null = null;
  for (const mount of mounts) {
    const inside = mount.mountPoint === '/' || target === mount.mountPoint || target.startsWith(`${mount.mountPoint}/`);
    // Later lines of mountinfo are later mounts, so at an equal length the last one is what is visible.
    if (inside && (best === null || mount.mountPoint.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

/** Returns the platform's per-user data folder for Gestiona, which is offered instead of a network folder. */
export function localDataDir(probe: Pick<PlacementProbe, 'platform' | 'env' | 'home'>): string {
  const { platform, env, home } = probe;
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), 'Gestiona');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Gestiona');
  return path.posix.join(env.XDG_DATA_HOME ?? path.posix.join(home, '.local', 'share'), 'gestiona');
}

/** Throws an AppError in Spanish, naming a local folder to use, when `dataDir` is on the network. */
export function assertLocalDataDir(dataDir: string, probe: PlacementProbe = systemProbe()): void {
  const location = networkLocationOf(dataDir, probe);
  if (location === null) return;

  const alternative = localDataDir(probe);
  const alternativeIsLocal = networkLocationOf(alternative, probe) === null;
  const where = describeLocation(location);
  const instead = alternativeIsLocal
    ? `Use la carpeta local ${alternative}: en modo navegador con --data "${alternative}", en la aplicación de escritorio con la variable de entorno GESTIONA_DATA_DIR.`
    : 'Elija una carpeta en un disco de este equipo e indíquela con --data en modo navegador o con la variable de entorno GESTIONA_DATA_DIR en la aplicación de escritorio.';
  throw new AppError(
    'invalid-input',
    `La carpeta de datos de Gestiona (${dataDir}) está en ${where}. La base de datos local solo puede estar en un disco de este equipo, ` +
      `porque en una unidad de red se puede dañar y quedaría al alcance de otros equipos. ${instead}`,
  );
}

function describeLocation(location: NetworkLocation): string {
  switch (location.kind) {
    case 'unc':
      return 'una carpeta compartida de red';
    case 'url':
      return `una dirección de red (${location.scheme}://)`;
    case 'mount':
      return `una unidad de red (${location.fsType} montada en ${location.mountPoint})`;
    default:
      return assertNever(location, 'network location');
  }
}

function readMountInfo(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
}

/** realpath of the longest prefix that exists, with the rest appended, because the data folder may not exist yet. */
function realpathOfExistingPrefix(target: string): string {
  let existing = target;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) return target;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(realpathSync(existing), ...rest);
}
