import { describe, expect, it } from 'vitest';
import { AppError } from '@gestiona/core/result';
import { assertLocalDataDir, localDataDir, networkLocationOf, parseMountInfo, type PlacementProbe } from './placement.ts';

/** Mount table of a Linux desktop with an SMB share, an NFS home and a local disk mounted under it. */
const MOUNT_INFO = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '40 27 0:50 / /mnt/cartera rw,relatime - cifs //fileserver/cartera rw,vers=3.1.1',
  '41 27 0:51 / /home rw,relatime - nfs4 nas:/export/home rw',
  '42 41 8:17 / /home/ana/disco-local rw,relatime - ext4 /dev/sdb1 rw',
  '43 27 0:52 / /mnt/mi\\040oficina rw,relatime - smb3 //srv/oficina rw',
  '44 27 0:53 / /srv/viejo rw - nfs old:/x rw',
  '45 44 8:18 / /srv/viejo rw - xfs /dev/sdc1 rw',
].join('\n');

function linuxProbe(mountInfo: string | null = MOUNT_INFO, home = '/home/ana'): PlacementProbe {
  return { platform: 'linux', mountInfo, env: {}, home, realpath: (target) => target };
}

function windowsProbe(): PlacementProbe {
  return { platform: 'win32', mountInfo: null, env: { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, home: 'C:\\Users\\ana', realpath: (target) => target };
}

describe('parseMountInfo', () => {
  it('reads mount point, type and source, unescaping spaces', () => {
    const entries = parseMountInfo(MOUNT_INFO);
    expect(entries).toHaveLength(8);
    expect(entries[2]).toEqual({ mountPoint: '/mnt/cartera', fsType: 'cifs', source: '//fileserver/cartera' });
    expect(entries[5]).toEqual({ mountPoint: '/mnt/mi oficina', fsType: 'smb3', source: '//srv/oficina' });
  });

  it('skips malformed lines', () => {
    expect(parseMountInfo('basura\n\n1 2 3 - ext4\n')).toEqual([]);
  });
});

describe('networkLocationOf', () => {
  it.each([
    { dataDir: '/mnt/cartera/gestiona', expected: { kind: 'mount', mountPoint: '/mnt/cartera', fsType: 'cifs' } },
    { dataDir: '/mnt/cartera', expected: { kind: 'mount', mountPoint: '/mnt/cartera', fsType: 'cifs' } },
    { dataDir: '/home/ana/.local/share/gestiona', expected: { kind: 'mount', mountPoint: '/home', fsType: 'nfs4' } },
    { dataDir: '/mnt/mi oficina/datos', expected: { kind: 'mount', mountPoint: '/mnt/mi oficina', fsType: 'smb3' } },
    { dataDir: 'smb://fileserver/cartera', expected: { kind: 'url', scheme: 'smb' } },
    { dataDir: 'NFS://nas/export', expected: { kind: 'url', scheme: 'nfs' } },
    { dataDir: '\\\\fileserver\\cartera', expected: { kind: 'unc', path: '\\\\fileserver\\cartera' } },
  ])('finds $dataDir on the network', ({ dataDir, expected }) => {
    expect(networkLocationOf(dataDir, linuxProbe())).toEqual(expected);
  });

  it.each(['/var/lib/gestiona', '/home/ana/disco-local/gestiona', '/mnt/carteras', '/srv/viejo/datos', '/'])('finds %s local', (dataDir) => {
    expect(networkLocationOf(dataDir, linuxProbe())).toBeNull();
  });

  it('resolves symlinks before matching mounts', () => {
    const probe: PlacementProbe = { ...linuxProbe(), realpath: (target) => target.replace('/var/enlace', '/mnt/cartera') };
    expect(networkLocationOf('/var/enlace/gestiona', probe)).toMatchObject({ kind: 'mount', fsType: 'cifs' });
  });

  it('treats every path as local when there is no mount table', () => {
    expect(networkLocationOf('/mnt/cartera/gestiona', linuxProbe(null))).toBeNull();
  });

  it.each([
    ['\\\\fileserver\\cartera\\gestiona', 'unc'],
    ['//fileserver/cartera/gestiona', 'unc'],
    ['\\\\?\\UNC\\fileserver\\cartera', 'unc'],
    ['smb://fileserver/cartera', 'url'],
    ['C:\\Users\\ana\\AppData\\Local\\Gestiona', null],
    ['\\\\?\\C:\\Gestiona', null],
    ['\\\\.\\C:\\Gestiona', null],
    ['D:/gestiona', null],
  ])('on Windows classifies %s as %s', (dataDir, kind) => {
    expect(networkLocationOf(dataDir, windowsProbe())?.kind ?? null).toBe(kind);
  });
});

describe('localDataDir', () => {
  it.each([
    [{ platform: 'linux' as const, env: {}, home: '/home/ana' }, '/home/ana/.local/share/gestiona'],
    [{ platform: 'linux' as const, env: { XDG_DATA_HOME: '/datos/ana' }, home: '/home/ana' }, '/datos/ana/gestiona'],
    [{ platform: 'darwin' as const, env: {}, home: '/Users/ana' }, '/Users/ana/Library/Application Support/Gestiona'],
    [{ platform: 'win32' as const, env: { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, home: 'C:\\Users\\ana' }, 'C:\\Users\\ana\\AppData\\Local\\Gestiona'],
    [{ platform: 'win32' as const, env: {}, home: 'C:\\Users\\ana' }, 'C:\\Users\\ana\\AppData\\Local\\Gestiona'],
  ])('is the per-user data folder for %j', (probe, expected) => {
    expect(localDataDir(probe)).toBe(expected);
  });
});

describe('assertLocalDataDir', () => {
  function rejection(dataDir: string, probe: PlacementProbe): AppError {
    try {
      assertLocalDataDir(dataDir, probe);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error(`${dataDir} was accepted`);
  }

  it('rejects a share and names the local folder to use instead', () => {
    const error = rejection('/mnt/cartera/gestiona', linuxProbe(MOUNT_INFO, '/var/lib/ana'));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toBe(
      'La carpeta de datos de Gestiona (/mnt/cartera/gestiona) está en una unidad de red (cifs montada en /mnt/cartera). ' +
        'La base de datos local solo puede estar en un disco de este equipo, porque en una unidad de red se puede dañar y quedaría al alcance de otros equipos. ' +
        'Use la carpeta local /var/lib/ana/.local/share/gestiona: en modo navegador con --data "/var/lib/ana/.local/share/gestiona", ' +
        'en la aplicación de escritorio con la variable de entorno GESTIONA_DATA_DIR.',
    );
  });

  it('asks for any local disk when home is remote', () => {
    const error = rejection('/mnt/cartera/gestiona', linuxProbe());
    expect(error.message).toContain('Elija una carpeta en un disco de este equipo');
    expect(error.message).not.toContain('/home/ana/.local/share/gestiona');
  });

  it('rejects a UNC path on Windows with the LOCALAPPDATA folder', () => {
    const error = rejection('\\\\fileserver\\cartera\\Gestiona', windowsProbe());
    expect(error.message).toContain('una carpeta compartida de red');
    expect(error.message).toContain('C:\\Users\\ana\\AppData\\Local\\Gestiona');
  });

  it('rejects an smb:// address', () => {
    expect(rejection('smb://fileserver/cartera', linuxProbe(null)).message).toContain('una dirección de red (smb://)');
  });

  it('accepts a local folder', () => {
    expect(() => assertLocalDataDir('/var/lib/gestiona', linuxProbe())).not.toThrow();
  });
});
